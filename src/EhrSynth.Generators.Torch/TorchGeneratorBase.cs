using System.Diagnostics;
using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Metrics.Fidelity;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// The shared TorchSharp template every family builds on: device, seeds, the training loop (phases, epochs, batches,
/// progress, cancellation per batch, NaN/Inf detection), checkpoints and exact resume, held-out model selection and
/// early stopping, and sampling under <c>no_grad</c> with an explicit generator. Families implement only the
/// network-specific hooks; no TorchSharp type appears in the public API.
/// </summary>
/// <typeparam name="TOptions">The family's options.</typeparam>
public abstract class TorchGeneratorBase<TOptions> : EhrGeneratorBase<TOptions>, ITorchGenerator
    where TOptions : TorchGeneratorOptions
{
    private const string TrainingStateKey = "training";

    /// <summary>A step may report how many tokens it processed under this key; throughput is then in tokens/s.</summary>
    internal const string TokensKey = "_tokens";
    private bool _built;

    /// <summary>Validates and copies the options.</summary>
    protected TorchGeneratorBase(TOptions options, ILogger? logger)
        : base(options, logger)
    {
    }

    /// <summary>The device tensors live on, resolved at fit or load time.</summary>
    internal Device Device { get; private set; } = CPU;

    /// <summary>The training patients of the current fit (after the validation split); <see langword="null"/> outside a fit.</summary>
    internal EhrDataset? TrainingData { get; private set; }

    /// <summary>The vocabulary the model is built for (set at the start of a fit, unlike <see cref="EhrGeneratorBase{TOptions}.Vocabulary"/>).</summary>
    internal CodeVocabulary ModelVocabulary { get; private set; } = new([]);

    /// <summary>Creates the networks and optimizers for <paramref name="codeCount"/> codes on <see cref="Device"/>.</summary>
    internal abstract void BuildModel(int codeCount);

    /// <summary>Releases the networks and optimizers (before a rebuild, and on dispose).</summary>
    internal abstract void ReleaseModel();

    /// <summary>The training phases, in order.</summary>
    internal abstract IReadOnlyList<TrainingPhase> Phases(int trainingPatients);

    /// <summary>One optimisation step. Runs inside a dispose scope; returns the step's losses and statistics.</summary>
    internal abstract IReadOnlyDictionary<string, double> TrainStep(StepContext step);

    /// <summary>The networks whose weights make up the model, by stable name.</summary>
    internal abstract IEnumerable<(string Name, nn.Module Module)> Modules();

    /// <summary>The optimizers, by stable name (saved for resume).</summary>
    internal abstract IEnumerable<(string Name, TorchSharp.Modules.OptimizerHelper Optimizer)> Optimizers();

    /// <summary>Samples <paramref name="count"/> records with the model in eval mode, under <c>no_grad</c>.</summary>
    internal abstract EhrDataset Sample(int count, Generator rng, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Mean training objective per patient on held-out data (for <see cref="ModelSelection.ValidationLoss"/>).</summary>
    internal virtual double ValidationLoss(EhrDataset validation, Generator rng) =>
        throw new NotSupportedException($"{Name} has no validation loss; use Selection = CovarianceError.");

    /// <summary>Called once before a fresh fit trains (not on resume), for data-dependent initialisation.</summary>
    internal virtual void InitializeFromData(EhrDataset train)
    {
    }

    /// <summary>Called when a phase starts (or resumes) training.</summary>
    internal virtual void OnPhaseStart(TrainingPhase phase, EhrDataset data)
    {
    }

    /// <summary>Called after the last phase, before the final weights are chosen (for example an EMA copy).</summary>
    internal virtual void OnFitEnd()
    {
    }

    /// <summary>Called before the model is built for a load (for example to read an architecture saved in the manifest).</summary>
    internal virtual void BeforeLoad(string folder, GeneratorManifest manifest)
    {
    }

    /// <summary>Called after loading weights (for example to rebuild derived state).</summary>
    internal virtual void OnLoaded(GeneratorManifest manifest)
    {
    }

    /// <summary>Family state stored in the manifest beside the training state.</summary>
    internal virtual void SaveState(Dictionary<string, JsonElement> state)
    {
    }

    /// <inheritdoc />
    protected override void FitCore(EhrDataset trainingData, int seed, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        using var threads = TorchThreads.Use(Options.Threads);
        Device = TorchDevices.Resolve(Options.Device);

        ModelVocabulary = trainingData.Vocabulary;
        var resume = ReadResumableCheckpoint(trainingData.Vocabulary, ref seed);
        var (train, validation) = SplitValidation(trainingData, seed);
        TrainingData = train;
        ReleaseModel();
        SeedScope.SetGlobal(SeedScope.Derive(seed, 0));
        BuildModel(trainingData.CodeCount);
        _built = true;
        var state = new TrainingState { TrainingPatients = train.PatientCount };
        Dictionary<string, Tensor>? best = null;
        try
        {
            if (resume is not null)
            {
                state = RestoreCheckpoint(resume.Value.Folder, resume.Value.Manifest, ref best);
                Log.Resumed(Logger, Name, Options.CheckpointDirectory!, state.PhaseIndex, state.EpochsDone);
            }
            else
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                InitializeFromData(train);
            }

            var phases = Phases(train.PatientCount);
            for (int p = state.PhaseIndex; p < phases.Count && !state.Completed; p++)
            {
                state = RunPhase(phases, p, p == state.PhaseIndex ? state : state with { PhaseIndex = p, EpochsDone = 0 }, train, validation, seed, progress, ref best, cancellationToken);
            }

            if (best is not null)
            {
                CheckpointStore.Restore(Modules(), best);
                Log.BestRestored(Logger, Name, state.BestEpoch, state.BestScore ?? double.NaN);
            }

            OnFitEnd();
        }
        finally
        {
            CheckpointStore.Dispose(best);
            TrainingData = null;
        }
    }

    /// <inheritdoc />
    protected override EhrDataset GenerateCore(int count, int seed, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        using var threads = TorchThreads.Use(Options.Threads);
        using var rng = new Generator((ulong)seed, Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Sample(count, rng, progress, cancellationToken);
    }

    /// <inheritdoc />
    protected override void SaveCore(string folder, Dictionary<string, JsonElement> state)
    {
        CheckpointStore.SaveWeights(Path.Combine(folder, CheckpointStore.WeightsFile), Modules());
        CheckpointStore.SaveOptimizers(folder, Optimizers());
        SaveState(state);
    }

    /// <summary>
    /// The number of values (parameters and buffers) the model's saved state holds for <paramref name="codeCount"/>
    /// codes, computed from the options without building the model; <see langword="null"/> when the family cannot say.
    /// Loading compares it with the weights file before building anything, so a saved folder whose options describe a
    /// model larger than its weights is refused before any allocation.
    /// </summary>
    internal virtual long? StateSize(int codeCount) => null;

    /// <inheritdoc />
    protected override void LoadCore(string folder, GeneratorManifest manifest, CodeVocabulary vocabulary)
    {
        Device = TorchDevices.Resolve(Options.Device);
        ModelVocabulary = vocabulary;
        ReleaseModel();
        BeforeLoad(folder, manifest);
        var weights = SafetensorsFile.ReadHeader(Path.Combine(folder, CheckpointStore.WeightsFile));
        if (StateSize(vocabulary.Count) is { } expected && expected != weights.TotalElements)
        {
            throw new EhrDataFormatException(
                $"the weights hold {weights.TotalElements:N0} values, but the saved options describe a {Name} of {expected:N0} for {vocabulary.Count:N0} codes; the folder is inconsistent",
                weights.Path);
        }

        BuildModel(vocabulary.Count);
        _built = true;
        CheckpointStore.LoadWeights(weights, Modules());
        OnLoaded(manifest);
    }

    /// <inheritdoc />
    long ITorchGenerator.MeasureModelBuildResidue(int codeCount)
    {
        if (_built)
        {
            throw new InvalidOperationException("Measure on an unfitted generator.");
        }

        long before = Tensor.TotalCount;
        ModelVocabulary = new CodeVocabulary(Enumerable.Range(0, codeCount).Select(i => $"c{i}"));
        BuildModel(codeCount);
        ReleaseModel();
        return Tensor.TotalCount - before;
    }

    /// <inheritdoc />
    (long? Predicted, long Actual) ITorchGenerator.MeasureStateSize(int codeCount)
    {
        if (_built)
        {
            throw new InvalidOperationException("Measure on an unfitted generator.");
        }

        ModelVocabulary = new CodeVocabulary(Enumerable.Range(0, codeCount).Select(i => $"c{i}"));
        BuildModel(codeCount);
        try
        {
            long actual = Modules().Sum(m => m.Module.state_dict().Values.Sum(t => t.numel()));
            return (StateSize(codeCount), actual);
        }
        finally
        {
            ReleaseModel();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _built)
        {
            ReleaseModel();
            _built = false;
        }

        base.Dispose(disposing);
    }

    private TrainingState RunPhase(IReadOnlyList<TrainingPhase> phases, int phaseIndex, TrainingState state, EhrDataset train, EhrDataset? validation, int seed, IProgress<TrainingProgress>? progress, ref Dictionary<string, Tensor>? best, CancellationToken ct)
    {
        var phase = phases[phaseIndex];
        bool last = phaseIndex == phases.Count - 1;
        int stepsPerEpoch = phase.Steps(train.PatientCount);
        long totalSteps = (long)stepsPerEpoch * phase.Epochs;
        OnPhaseStart(phase, train);
        var watch = Stopwatch.StartNew();
        for (int epoch = state.EpochsDone + 1; epoch <= phase.Epochs; epoch++)
        {
            // Every random source of an epoch is derived from (seed, phase, epoch): resuming at an epoch boundary
            // replays exactly what an uninterrupted run would draw.
            long epochSeed = SeedScope.Derive(seed, phaseIndex + 1, epoch);
            SeedScope.SetGlobal(epochSeed);
            using var rng = new Generator((ulong)epochSeed, Device);
            var batches = new EpochBatches(train.PatientCount, epochSeed, phase.DropLast);
            var sums = new Dictionary<string, double>();
            var epochSums = new Dictionary<string, double>();
            int sinceReport = 0, epochCount = 0;
            long samplesSinceReport = 0;
            var reportWatch = Stopwatch.StartNew();
            string unit = "samples";
            for (int s = 1; s <= stepsPerEpoch; s++)
            {
                ct.ThrowIfCancellationRequested();
                long step = ((long)(epoch - 1) * stepsPerEpoch) + s;
                IReadOnlyDictionary<string, double> losses;
                using (var scope = NewDisposeScope())
                {
                    losses = TrainStep(new StepContext(train, phase, epoch, step, totalSteps, rng, Device, batches));
                }

                long processed = phase.BatchSize;
                foreach (var (key, value) in losses)
                {
                    if (key == TokensKey)
                    {
                        processed = (long)value;
                        unit = "tokens";
                        continue;
                    }

                    if (!double.IsFinite(value))
                    {
                        throw Diverged(phase, epoch, step, key, value);
                    }

                    sums[key] = sums.GetValueOrDefault(key) + value;
                    epochSums[key] = epochSums.GetValueOrDefault(key) + value;
                }

                sinceReport++;
                epochCount++;
                samplesSinceReport += processed;
                if (s % Options.ReportEvery == 0 && s < stepsPerEpoch)
                {
                    progress?.Report(new TrainingProgress(phase.Name, epoch, phase.Epochs, step, totalSteps, Average(sums, sinceReport), watch.Elapsed, samplesSinceReport / Math.Max(1e-9, reportWatch.Elapsed.TotalSeconds), Unit: unit));
                    sums.Clear();
                    sinceReport = 0;
                    samplesSinceReport = 0;
                    reportWatch.Restart();
                }
            }

            var epochLosses = Average(epochSums, epochCount);
            double? score = null;
            if (last && validation is not null && Options.Selection != ModelSelection.None)
            {
                score = Score(validation, seed);
                if (state.BestScore is null || score < state.BestScore)
                {
                    CheckpointStore.Dispose(best);
                    best = CheckpointStore.Snapshot(Modules());
                    state = state with { BestScore = score, BestEpoch = epoch, EpochsWithoutImprovement = 0 };
                }
                else
                {
                    state = state with { EpochsWithoutImprovement = state.EpochsWithoutImprovement + 1 };
                }
            }

            bool stopEarly = Options.EarlyStoppingPatience is { } patience && state.EpochsWithoutImprovement >= patience;
            bool done = last && (epoch == phase.Epochs || stopEarly);
            state = state with { PhaseIndex = phaseIndex, EpochsDone = epoch, Completed = done };
            if (Options.CheckpointDirectory is { } dir && (epoch % Options.CheckpointEvery == 0 || epoch == phase.Epochs || stopEarly))
            {
                WriteCheckpoint(dir, train.Vocabulary, state, best);
            }

            Log.EpochFinished(Logger, Name, phase.Name, epoch, phase.Epochs, Format(epochLosses), score ?? double.NaN, watch.Elapsed.TotalSeconds);
            progress?.Report(new TrainingProgress(phase.Name, epoch, phase.Epochs, (long)epoch * stepsPerEpoch, totalSteps, Average(sums, sinceReport), watch.Elapsed, samplesSinceReport / Math.Max(1e-9, reportWatch.Elapsed.TotalSeconds), score, unit, IsEpochEnd: true));
            if (stopEarly)
            {
                Log.EarlyStopped(Logger, Name, epoch, state.BestEpoch);
                break;
            }
        }

        return last ? state with { Completed = true } : state;
    }

    private double Score(EhrDataset validation, int seed)
    {
        using var rng = new Generator((ulong)SeedScope.Derive(seed, -1), Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (Options.Selection == ModelSelection.ValidationLoss)
        {
            return ValidationLoss(validation, rng);
        }

        var sample = Sample(validation.PatientCount, rng, null, CancellationToken.None).WithVocabulary(validation.Vocabulary);
        var metric = new CovarianceResamplingMetric(groups: Math.Min(10, validation.PatientCount));
        return metric.Evaluate(validation, sample)["normalized_cov_error"];
    }

    private void WriteCheckpoint(string folder, CodeVocabulary vocabulary, TrainingState state, Dictionary<string, Tensor>? best)
    {
        AtomicFile.WriteDirectory(folder, tmp =>
        {
            var extra = new Dictionary<string, JsonElement> { [TrainingStateKey] = JsonSerializer.SerializeToElement(state, GeneratorJson.Options) };
            SaveCore(tmp, extra);
            if (best is not null)
            {
                using var scope = NewDisposeScope();
                CheckpointStore.SaveSnapshot(Path.Combine(tmp, CheckpointStore.BestWeightsFile), best);
            }

            CreateManifest(vocabulary, extra).Write(tmp);
        });
        Log.CheckpointSaved(Logger, Name, folder, state.PhaseIndex, state.EpochsDone);
    }

    private (string Folder, GeneratorManifest Manifest)? ReadResumableCheckpoint(CodeVocabulary vocabulary, ref int seed)
    {
        if (Options.CheckpointDirectory is not { } dir)
        {
            return null;
        }

        AtomicFile.RecoverDirectory(dir);                     // a run killed between the two renames of a checkpoint swap
        if (!File.Exists(Path.Combine(dir, GeneratorManifest.FileName)))
        {
            return null;
        }

        var manifest = GeneratorManifest.Read(dir);
        if (manifest.Family != Name)
        {
            throw new InvalidDataException($"{dir} holds a {manifest.Family} checkpoint; a {Name} fit cannot resume from it.");
        }

        if (!manifest.ToVocabulary().Equals(vocabulary))
        {
            throw new InvalidDataException($"{dir}: the checkpoint was trained on another vocabulary ({manifest.Codes.Count} codes); use another CheckpointDirectory.");
        }

        if (!manifest.State.ContainsKey(TrainingStateKey))
        {
            throw new InvalidDataException($"{dir} holds a saved generator without training state; it cannot be resumed.");
        }

        if (manifest.TrainingSeed is { } saved && saved != seed)
        {
            if (Options.Seed is not null)
            {
                throw new InvalidDataException($"{dir}: the checkpoint was trained with seed {saved}, but Seed is {Options.Seed}; resume with the same seed.");
            }

            seed = saved;
        }

        UseTrainingSeed(seed);
        return (dir, manifest);
    }

    private TrainingState RestoreCheckpoint(string folder, GeneratorManifest manifest, ref Dictionary<string, Tensor>? best)
    {
        CheckpointStore.LoadWeights(Path.Combine(folder, CheckpointStore.WeightsFile), Modules());

        // The optimizer state carries its learning rates; the options are authoritative (a resumed run may change them).
        var rates = Optimizers().Select(o => o.Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray()).ToList();
        CheckpointStore.LoadOptimizers(folder, Optimizers());
        foreach (var (optimizer, lr) in Optimizers().Zip(rates))
        {
            foreach (var (group, rate) in optimizer.Optimizer.ParamGroups.Zip(lr))
            {
                group.LearningRate = rate;
            }
        }

        OnLoaded(manifest);
        var state = manifest.State[TrainingStateKey].Deserialize<TrainingState>(GeneratorJson.Options)! with { Completed = false };
        string bestPath = Path.Combine(folder, CheckpointStore.BestWeightsFile);
        if (File.Exists(bestPath))
        {
            var current = CheckpointStore.Snapshot(Modules());
            CheckpointStore.LoadWeights(bestPath, Modules());
            best = CheckpointStore.Snapshot(Modules());
            CheckpointStore.Restore(Modules(), current);
            CheckpointStore.Dispose(current);
        }

        return state;
    }

    private (EhrDataset Train, EhrDataset? Validation) SplitValidation(EhrDataset data, int seed)
    {
        if (Options.ValidationFraction <= 0)
        {
            return (data, null);
        }

        var (validation, train) = data.Split(Options.ValidationFraction, seed);
        if (validation.PatientCount < 2)
        {
            throw new ArgumentException($"{Name}: ValidationFraction {Options.ValidationFraction} leaves {validation.PatientCount} validation patients; at least 2 are needed.");
        }

        return (train, validation);
    }

    private TrainingDivergedException Diverged(TrainingPhase phase, int epoch, long step, string key, double value)
    {
        string? last = Options.CheckpointDirectory is { } dir && File.Exists(Path.Combine(dir, GeneratorManifest.FileName)) ? dir : null;
        string message = $"{Name}: the {key} became {value} in phase '{phase.Name}', epoch {epoch}, step {step}. " +
            (last is null ? "Set CheckpointDirectory to keep the last good state." : $"The last good checkpoint is in {last}.") +
            " Try a lower learning rate.";
        Log.Diverged(Logger, Name, phase.Name, epoch, step, key);
        return new TrainingDivergedException(message, phase.Name, epoch, step, last);
    }

    private static Dictionary<string, double> Average(Dictionary<string, double> sums, int count) =>
        sums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(1, count));

    private static string Format(Dictionary<string, double> losses) =>
        string.Join(", ", losses.Select(kv => FormattableString.Invariant($"{kv.Key} {kv.Value:G4}")));
}
