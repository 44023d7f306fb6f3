using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using TorchSharp;
using Xunit;

namespace EhrSynth.Generators.Testing;

/// <summary>
/// The contract every generator family must pass, on a tiny structured fixture (≤ 64 patients, ≤ 20 codes, 2 epochs):
/// sizes and vocabulary, seeding, save/load, exact resume, cancellation, bad input, a decreasing training loss, and no
/// leaked tensors. A family's test class derives from it and adds its model-specific tests.
/// </summary>
public abstract class EhrGeneratorContractTests<TGenerator>
    where TGenerator : IEhrGenerator
{
    /// <summary>The fixture every contract test trains on.</summary>
    protected virtual EhrDataset Data { get; } = Fixtures.Structured(patients: 64, codes: 20, seed: 7);

    /// <summary>A small, fast generator with the given seed, epochs and checkpoint folder.</summary>
    protected abstract TGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null);

    /// <summary>Loads a saved generator of the family.</summary>
    protected abstract TGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null);

    /// <summary>Creates a generator with options that are invalid in more than one way.</summary>
    protected abstract TGenerator CreateWithInvalidOptions();

    /// <summary>The phase and loss key that must go down over a short fit.</summary>
    protected abstract (TrainingPhaseName Phase, string Key) DecreasingLoss { get; }

    /// <summary>Epochs for the decreasing-loss test.</summary>
    protected virtual int EpochsForLossTest => 8;

    /// <summary>
    /// A short run on <see cref="LearningData"/> that must learn which codes occur together. With
    /// <paramref name="trained"/> false, the same network with every learning rate at the minimum the options allow (and
    /// one epoch per phase): what the model knows from its initialisation alone — the marginals, for the families whose
    /// output bias starts at the training log-odds.
    /// </summary>
    protected abstract TGenerator CreateForLearning(bool trained);

    /// <summary>Pair structure a generator must learn: codes in blocks of 4 that occur together.</summary>
    protected virtual EhrDataset LearningData { get; } = Fixtures.Structured(patients: 1_200, codes: 16, seed: 11);

    /// <summary>The trained run must beat the floor's covariance error by this factor (0.7: at least 30 % lower).</summary>
    protected virtual double LearnedFactor => 0.7;

    [Fact]
    public async Task Generate_ReturnsTheRequestedRecordsOverTheVocabulary()
    {
        using var g = Create(seed: 1);
        await g.FitAsync(Data);
        Assert.True(g.IsFitted);
        Assert.Equal(Data.Vocabulary, g.Vocabulary);
        var synthetic = g.Generate(50);
        Assert.Equal(50, synthetic.PatientCount);
        Assert.Equal(Data.Vocabulary, synthetic.Vocabulary);
        Assert.All(synthetic.Records, r => Assert.All(r.Codes, c => Assert.True(Data.Vocabulary.Contains(c))));
        Assert.Equal(50, g.LastGenerationReport!.RecordsGenerated);
        Assert.Equal(synthetic.EmptyPatientCount(), g.LastGenerationReport.EmptyRecords);
    }

    [Fact]
    public async Task Seed_SameSeedReproduces_OtherSeedChanges()
    {
        using var a = Create(seed: 5);
        using var b = Create(seed: 5);
        await a.FitAsync(Data);
        await b.FitAsync(Data);
        Assert.Equal(Rows(a.Generate(50, seed: 11)), Rows(b.Generate(50, seed: 11)));
        Assert.Equal(Rows(a.Generate(50, seed: 11)), Rows(a.Generate(50, seed: 11)));
        Assert.NotEqual(Rows(a.Generate(50, seed: 11)), Rows(a.Generate(50, seed: 12)));

        using var c = Create(seed: 6);
        await c.FitAsync(Data);
        Assert.NotEqual(Rows(a.Generate(50, seed: 11)), Rows(c.Generate(50, seed: 11)));
    }

    [Fact]
    public async Task Generate_WaitingForAnotherGeneratorsFit_IsCancellable()
    {
        // A generator waits for another's fit to leave libtorch's process-wide state; the wait must honour cancellation.
        using var fitted = Create(seed: 5);
        await fitted.FitAsync(Data);
        using var fitting = Create(seed: 6);
        Task<EhrDataset>? waiting = null;
        bool endedDuringTheFit = false;
        await fitting.FitAsync(Data, new SyncProgress<TrainingProgress>(_ =>
        {
            if (waiting is null)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                waiting = Task.Run(() => fitted.Generate(10, seed: 1, cancellationToken: cts.Token));
                endedDuringTheFit = ((IAsyncResult)waiting).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20));
            }
        }));

        Assert.True(endedDuringTheFit, "a cancelled Generate kept waiting for another generator's fit");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting!);
        Assert.Equal(10, fitted.Generate(10, seed: 1).PatientCount);                     // and it works once the fit is done
    }

    [Fact]
    public async Task Fit_StartedWhileAnotherRuns_WaitsForIt_AndBothEqualSoloFits()
    {
        // libtorch's random generator is process-wide: a fit on another thread must not draw from it mid-fit.
        using var soloA = Create(seed: 5);
        using var soloB = Create(seed: 6);
        await soloA.FitAsync(Data);
        await soloB.FitAsync(Data);

        using var a = Create(seed: 5);
        using var b = Create(seed: 6);
        using var bProgressed = new ManualResetEventSlim();
        Task? bFit = null;
        bool bRanDuringA = false;
        await a.FitAsync(Data, new SyncProgress<TrainingProgress>(_ =>
        {
            if (bFit is null)
            {
                bFit = b.FitAsync(Data, new SyncProgress<TrainingProgress>(_ => bProgressed.Set()));
                bRanDuringA = bProgressed.Wait(TimeSpan.FromMilliseconds(500));
            }
        }));
        await bFit!;

        Assert.False(bRanDuringA, "a second fit trained while the first was mid-fit");
        Assert.Equal(Rows(soloA.Generate(60, seed: 4)), Rows(a.Generate(60, seed: 4)));
        Assert.Equal(Rows(soloB.Generate(60, seed: 4)), Rows(b.Generate(60, seed: 4)));
    }

    [Fact]
    public async Task Dispose_DuringAFit_IsRefused_AndAfterwardsEveryCallSaysDisposed()
    {
        var g = Create(seed: 3);
        Exception? refused = null;
        await g.FitAsync(Data, new SyncProgress<TrainingProgress>(_ => refused ??= Record.Exception(g.Dispose)));
        var busy = Assert.IsType<InvalidOperationException>(refused);                 // the fit's modules were not freed under it
        Assert.Contains("cannot be disposed while", busy.Message, StringComparison.Ordinal);
        Assert.True(g.IsFitted);
        Assert.Equal(20, g.Generate(20, seed: 1).PatientCount);

        g.Dispose();
        Assert.False(g.IsFitted);
        Assert.Throws<ObjectDisposedException>(() => g.Generate(5, seed: 1));
        Assert.Throws<ObjectDisposedException>(() => g.Save("never-written"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => g.FitAsync(Data));
        Assert.Throws<ObjectDisposedException>(() => Assert.IsAssignableFrom<ICohortGenerator>(g).GenerateCohort(CohortCondition.Having("C000"), 5));
        g.Dispose();                                                                     // a second Dispose does nothing
        Assert.False(Directory.Exists("never-written"));
    }

    [Fact]
    public async Task Cohort_EveryRecordSatisfiesTheCondition_Reproducibly_AndIsReported()
    {
        using var g = Create(seed: 3);
        await g.FitAsync(Data);
        var cohorts = Assert.IsAssignableFrom<ICohortGenerator>(g);
        var condition = CohortCondition.Having("C000").Excluding("C005");
        var sampling = new CohortSamplingOptions { MinimumAcceptance = 1e-3 };
        var cohort = cohorts.GenerateCohort(condition, 40, seed: 5, sampling);
        Assert.Equal(40, cohort.PatientCount);
        Assert.Equal(Data.Vocabulary, cohort.Vocabulary);
        int required = Data.Vocabulary.IndexOf("C000"), excluded = Data.Vocabulary.IndexOf("C005");
        for (int p = 0; p < cohort.PatientCount; p++)
        {
            Assert.True(cohort.HasCode(p, required), $"record {p} lacks C000");
            Assert.False(cohort.HasCode(p, excluded), $"record {p} has C005");
        }

        var report = g.LastGenerationReport!.Cohort!;
        Assert.Equal("with C000; without C005", report.Condition);
        Assert.Equal(cohorts.CohortMethod, report.Method);
        Assert.True(report.Accepted >= 40 && report.Drawn >= report.Accepted, $"{report}");
        Assert.Equal(40, g.LastGenerationReport.RecordsGenerated);
        Assert.Equal(Rows(cohort), Rows(cohorts.GenerateCohort(condition, 40, seed: 5, sampling)));

        var e = Assert.Throws<ArgumentException>(() => cohorts.GenerateCohort(CohortCondition.Having("C000", "NOPE").Excluding("C000"), 5));
        Assert.Contains("'NOPE' is not in the vocabulary", e.Message, StringComparison.Ordinal);
        Assert.Contains("'C000' is both required and excluded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveThenLoad_GeneratesIdentically()
    {
        using var dir = new TempDirectory();
        using var g = Create(seed: 2);
        await g.FitAsync(Data);
        g.Save(dir.File("model"));
        using var loaded = Load(dir.File("model"), Data.Vocabulary);
        Assert.True(loaded.IsFitted);
        Assert.Equal(Rows(g.Generate(40, seed: 9)), Rows(loaded.Generate(40, seed: 9)));
        Assert.Empty(Directory.GetDirectories(dir.Path, "*.tmp"));
    }

    [Fact]
    public async Task Resume_EqualsAnUninterruptedRun()
    {
        using var dir = new TempDirectory();
        using var whole = Create(seed: 3, epochs: 2);
        await whole.FitAsync(Data);

        var cts = new CancellationTokenSource();
        var interrupted = Create(seed: 3, epochs: 2, checkpointDirectory: dir.File("ckpt"));
        var stopAfterFirstEpoch = new SyncProgress<TrainingProgress>(p =>
        {
            if (p.IsEpochEnd)
            {
                cts.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted.FitAsync(Data, stopAfterFirstEpoch, cts.Token));
        Assert.False(interrupted.IsFitted);
        interrupted.Dispose();

        using var resumed = Create(seed: 3, epochs: 2, checkpointDirectory: dir.File("ckpt"));
        await resumed.FitAsync(Data);
        Assert.Equal(Rows(whole.Generate(60, seed: 4)), Rows(resumed.Generate(60, seed: 4)));
    }

    [Fact]
    public async Task Resume_AfterAKillBetweenTheTwoRenamesOfACheckpointSwap_ContinuesFromIt()
    {
        using var dir = new TempDirectory();
        using var whole = Create(seed: 3, epochs: 2);
        int wholeEpochs = 0;
        await whole.FitAsync(Data, new SyncProgress<TrainingProgress>(p => wholeEpochs += p.IsEpochEnd ? 1 : 0));

        var cts = new CancellationTokenSource();
        var interrupted = Create(seed: 3, epochs: 2, checkpointDirectory: dir.File("ckpt"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted.FitAsync(Data, new SyncProgress<TrainingProgress>(p =>
        {
            if (p.IsEpochEnd)
            {
                cts.Cancel();
            }
        }), cts.Token));
        interrupted.Dispose();

        // The process died after moving the checkpoint aside and before moving the new one in.
        Directory.Move(dir.File("ckpt"), dir.File($".ckpt.{Guid.NewGuid():N}.ehrsynth-old"));
        int epochsTrained = 0;
        using var resumed = Create(seed: 3, epochs: 2, checkpointDirectory: dir.File("ckpt"));
        await resumed.FitAsync(Data, new SyncProgress<TrainingProgress>(p => epochsTrained += p.IsEpochEnd ? 1 : 0));
        Assert.True(Directory.Exists(dir.File("ckpt")));
        Assert.Equal(Rows(whole.Generate(60, seed: 4)), Rows(resumed.Generate(60, seed: 4)));
        Assert.True(epochsTrained < wholeEpochs, $"the resumed fit trained {epochsTrained} of {wholeEpochs} epochs: it started over");
    }

    [Fact]
    public async Task Cancellation_ThrowsOperationCanceled()
    {
        using var g = Create(seed: 1, epochs: 50);
        var cts = new CancellationTokenSource();
        var progress = new SyncProgress<TrainingProgress>(_ => cts.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => g.FitAsync(Data, progress, cts.Token));
        Assert.False(g.IsFitted);

        await g.FitAsync(Data.Subset([.. Enumerable.Range(0, 16)]));
        Assert.ThrowsAny<OperationCanceledException>(() => g.Generate(10, cancellationToken: new CancellationToken(true)));
    }

    [Fact]
    public async Task BadInput_GivesClearErrors()
    {
        var invalid = Assert.Throws<ValidationException>(() => CreateWithInvalidOptions());
        Assert.Contains("problems", invalid.Message, StringComparison.Ordinal);

        using var g = Create(seed: 1);
        var empty = EhrDataset.FromRecords([], Data.Vocabulary);
        await Assert.ThrowsAsync<ArgumentException>(() => g.FitAsync(empty));
        Assert.Throws<InvalidOperationException>(() => g.Generate(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Generate(0));

        await g.FitAsync(Data);
        using var dir = new TempDirectory();
        g.Save(dir.File("model"));
        var other = new CodeVocabulary(Data.Vocabulary.Reverse());
        var e = Assert.Throws<InvalidDataException>(() => Load(dir.File("model"), other));
        Assert.Contains("vocabulary", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainingLoss_Decreases()
    {
        var (phase, key) = DecreasingLoss;
        var epochLoss = new List<double>();
        using var g = Create(seed: 4, epochs: EpochsForLossTest);
        await g.FitAsync(Data, new SyncProgress<TrainingProgress>(p =>
        {
            if (p.IsEpochEnd && p.Phase == phase && p.Losses.TryGetValue(key, out double v))
            {
                epochLoss.Add(v);
            }
        }));
        Assert.True(epochLoss.Count >= 2, $"no epoch-end '{key}' reported for phase '{phase}'");
        Assert.True(epochLoss[^1] < epochLoss[0], $"{key}: first epoch {epochLoss[0]}, last {epochLoss[^1]}");
    }

    [Fact]
    public async Task Learns_CoOccurrenceBeyondTheFloor_AndOnlyByTraining()
    {
        // The floor draws each code independently at its prevalence: a model that learned only the marginals (a bias
        // initialisation gives them for free) scores like it; learning which codes occur together scores better.
        var data = LearningData;
        double floor = NaiveStatistics.CovarianceError(NaiveStatistics.IndependentSample(data, 3_000, seed: 5), data);
        double Error(TGenerator g) => NaiveStatistics.CovarianceError(g.Generate(3_000, seed: 9), data);
        using var trained = CreateForLearning(trained: true);
        await trained.FitAsync(data);
        using var untrained = CreateForLearning(trained: false);
        await untrained.FitAsync(data);
        double learned = Error(trained), before = Error(untrained);
        Assert.True(learned < LearnedFactor * floor, $"trained: covariance error {learned:F3}, floor {floor:F3} (must be below {LearnedFactor * floor:F3})");
        Assert.True(before > 0.85 * floor, $"untrained: covariance error {before:F3}, floor {floor:F3}: the run beats the floor without training, so this test proves nothing");
    }

    /// <summary>
    /// For a TorchSharp family that exposes them: builds the model for <paramref name="codeCount"/> codes on an unfitted
    /// generator, releases it, and returns how many live tensor wrappers that left behind (TorchSharp counts one orphaned
    /// wrapper per parameter its module constructors create). <see langword="null"/>, the default, leaves out
    /// <see cref="Tensors_DoNotLeak"/>, which must force garbage collections and open a no-GC region in the test process
    /// to count tensors — process-wide steps the kit takes only in suites that ask for them.
    /// </summary>
    protected virtual long? MeasureModelBuildResidue(TGenerator generator, int codeCount) => null;

    /// <summary>
    /// For a family that predicts its state size before allocating (hostile model folders are refused by it): what it
    /// predicts for <paramref name="codeCount"/> codes and what the built model holds. <see langword="null"/>, the
    /// default, leaves out <see cref="StateSize_PredictsTheBuiltModel"/>.
    /// </summary>
    protected virtual (long? Predicted, long Actual)? MeasureStateSize(TGenerator generator, int codeCount) => null;

    [Fact]
    public async Task Tensors_DoNotLeak()
    {
        // Measure the residue of one model build, and expect exactly two builds' worth (fit and load), nothing more. A
        // garbage collection finalises orphans (this test's and earlier tests') and would lower the count, so the counts
        // start from a settled heap and run in a no-GC region; were a collection to happen anyway, only the upper bound
        // is checked. Only for suites that give MeasureModelBuildResidue.
        long residue;
        using (var probe = Create(seed: 1))
        {
            if (MeasureModelBuildResidue(probe, Data.CodeCount) is null)                // first build may warm process-wide caches
            {
                return;
            }

            SettledTensorCount();
            residue = MeasureModelBuildResidue(probe, Data.CodeCount)!.Value;
        }

        long baseline = SettledTensorCount();
        int collections = GC.CollectionCount(0);
        bool noGcRegion = GC.TryStartNoGCRegion(NoGcBudget);
        try
        {
            using var dir = new TempDirectory();
            long afterFirst, afterSecond;
            using (var g = Create(seed: 1))
            {
                await g.FitAsync(Data);
                g.Generate(30);
                afterFirst = torch.Tensor.TotalCount;
                g.Generate(30);
                g.Save(dir.File("m"));
                afterSecond = torch.Tensor.TotalCount;
                using var loaded = Load(dir.File("m"));
                loaded.Generate(30);
            }

            long final = torch.Tensor.TotalCount;
            if (GC.CollectionCount(0) == collections)
            {
                Assert.Equal(afterFirst, afterSecond);
                Assert.Equal(baseline + (2 * residue), final);
            }
            else
            {
                Assert.True(final <= baseline + (2 * residue), $"{final - baseline} tensors left, at most {2 * residue} expected");
            }
        }
        finally
        {
            if (noGcRegion && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }

    [Fact]
    public void StateSize_PredictsTheBuiltModel()
    {
        foreach (int codes in new[] { Data.CodeCount, 221, 1_071 })
        {
            using var g = Create(seed: 1);
            if (MeasureStateSize(g, codes) is not { } measured)
            {
                return;
            }

            Assert.True(measured.Predicted is not null, "the family does not predict its state size, so hostile model folders are not checked before allocation");
            Assert.Equal(measured.Actual, measured.Predicted);
        }
    }

    [Fact]
    public async Task Save_IntoAFolderWithForeignFiles_IsRefused()
    {
        using var dir = new TempDirectory();
        using var g = Create(seed: 1);
        await g.FitAsync(Data);
        string notes = dir.Write("model/notes.txt", "mine");
        Assert.Throws<IO.OutputConflictException>(() => g.Save(dir.File("model")));
        Assert.Equal("mine", File.ReadAllText(notes));
        Assert.Single(Directory.GetFileSystemEntries(dir.File("model")));
    }

    private const long NoGcBudget = 200L << 20;

    /// <summary>Live TorchSharp tensors after a full, finalised garbage collection.</summary>
    private static long SettledTensorCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return torch.Tensor.TotalCount;
    }

    /// <summary>Records as comparable strings.</summary>
    protected static string[] Rows(EhrDataset data) => data.Records.Select(r => string.Join(",", r.Codes)).ToArray();
}
