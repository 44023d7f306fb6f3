using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch.Tests;

public class TorchLayerTests
{
    [Fact]
    public void DenseBatch_EqualsTheHostDenseRows()
    {
        var data = Fixtures.Random(40, 17, 0.3, seed: 1);
        int[] patients = [5, 0, 39, 5];
        using var scope = NewDisposeScope();
        var batch = DenseBatch.Build(data, patients, CPU);
        var expected = new float[patients.Length * 17];
        data.FillDense(patients, expected);
        Assert.Equal([4L, 17], batch.shape);
        Assert.Equal(expected, batch.data<float>().ToArray());
    }

    [Fact]
    public void AppendBinary_ThresholdKeepsCodesAtOrAboveIt_BernoulliMatchesProbabilities()
    {
        var vocabulary = new CodeVocabulary(["a", "b", "c"]);
        using var scope = NewDisposeScope();
        using var rng = new Generator(1, CPU);
        var thresholded = new EhrDatasetBuilder(vocabulary, "s");
        DenseBatch.AppendBinary(tensor(new float[] { 0.5f, 0.49f, 0.9f, 0.1f, 0.6f, 0f }, [2, 3]), BinarizationMode.Threshold, 0.5, rng, thresholded);
        var t = thresholded.Build();
        Assert.Equal([0, 2], t.GetCodes(0).ToArray());
        Assert.Equal([1], t.GetCodes(1).ToArray());

        var sampled = new EhrDatasetBuilder(vocabulary, "s");
        DenseBatch.AppendBinary(full(20_000, 3, 0.25f).index_put_(tensor(0.9f), [TensorIndex.Colon, TensorIndex.Single(2)]), BinarizationMode.Bernoulli, 0.5, rng, sampled);
        var prevalence = sampled.Build().CodePrevalence();
        Assert.InRange(prevalence[0], 0.24, 0.26);
        Assert.InRange(prevalence[2], 0.89, 0.91);
    }

    [Fact]
    public void AppendBinary_ABatchWithNoCodeAtAll_GivesItsEmptyRecords()
    {
        // A 0.5 threshold over probabilities that all stay below it (an under-trained GAN at --budget paper) used to
        // crash in TorchSharp's accessor of the empty nonzero() result.
        var vocabulary = new CodeVocabulary(["a", "b", "c"]);
        using var scope = NewDisposeScope();
        using var rng = new Generator(1, CPU);
        var builder = new EhrDatasetBuilder(vocabulary, "s");
        DenseBatch.AppendBinary(full(4, 3, 0.3f), BinarizationMode.Threshold, 0.5, rng, builder);
        var records = builder.Build();
        Assert.Equal(4, records.PatientCount);
        Assert.All(Enumerable.Range(0, 4), p => Assert.Equal(0, records.GetCodes(p).Length));
    }

    [Fact]
    public void EpochBatches_CoverEveryPatientOncePerPass_Deterministically()
    {
        var a = new EpochBatches(10, seed: 3, dropLast: false);
        var first = Enumerable.Range(0, 4).SelectMany(_ => a.Next(3)).ToArray();   // 3 + 3 + 3 + 1
        Assert.Equal(Enumerable.Range(0, 10), first.Order());
        var b = new EpochBatches(10, seed: 3, dropLast: false);
        Assert.Equal(first, Enumerable.Range(0, 4).SelectMany(_ => b.Next(3)));
        var dropping = new EpochBatches(10, seed: 3, dropLast: true);
        Assert.All(Enumerable.Range(0, 6).Select(_ => dropping.Next(3)), batch => Assert.Equal(3, batch.Length));
    }

    [Fact]
    public void TrainingPhase_StepsPerEpoch()
    {
        static StepResult None(StepContext c) => new(new Dictionary<string, double>());
        Assert.Equal(4, new TrainingPhase(Generation.TrainingPhaseName.Train, 1, 3, None).Steps(10));
        Assert.Equal(3, new TrainingPhase(Generation.TrainingPhaseName.Train, 1, 3, None, DropLast: true).Steps(10));
        Assert.Equal(7, new TrainingPhase(Generation.TrainingPhaseName.Train, 1, 3, None, StepsPerEpoch: 7).Steps(10));
    }

    [Fact]
    public void SeedScope_DeriveIsDeterministicAndSpreads()
    {
        Assert.Equal(SeedScope.Derive(1, 2, 3), SeedScope.Derive(1, 2, 3));
        Assert.NotEqual(SeedScope.Derive(1, 2, 3), SeedScope.Derive(1, 3, 2));
        Assert.NotEqual(SeedScope.Derive(1, 2, 3), SeedScope.Derive(2, 2, 3));
        // Non-negative (the top bit is shifted out) and spread: 10,000 neighbouring inputs give 10,000 values, both halves of the range.
        var derived = Enumerable.Range(0, 10_000).Select(i => SeedScope.Derive(1, i)).ToList();
        Assert.All(derived, d => Assert.True(d >= 0));
        Assert.Equal(derived.Count, derived.Distinct().Count());
        Assert.InRange(derived.Count(d => d > long.MaxValue / 2), 4_500, 5_500);
    }

    [Fact]
    public void TorchThreads_RestoresTheSetting()
    {
        int before = torch.get_num_threads();
        int other = before == 1 ? 2 : 1;                                         // a change whatever libtorch started with
        using (TorchThreads.Use(other))
        {
            Assert.Equal(other, torch.get_num_threads());
        }

        Assert.Equal(before, torch.get_num_threads());
    }

    [Fact]
    public void CheckpointStore_ListsEveryMismatchInOneError()
    {
        using var dir = new TempDirectory();
        using var small = nn.Linear(3, 2);
        using var large = nn.Linear(4, 2);
        using var extra = nn.Linear(1, 1);
        CheckpointStore.SaveWeights(dir.File("w.safetensors"), [("layer", small), ("extra", extra)]);
        var e = Assert.Throws<InvalidDataException>(() => CheckpointStore.LoadWeights(dir.File("w.safetensors"), [("layer", large), ("other", extra)]));
        Assert.Contains("layer.weight has shape [2, 3], expected [2, 4]", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing other.weight", e.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected extra.bias", e.Message, StringComparison.Ordinal);

        using var same = nn.Linear(3, 2);
        CheckpointStore.LoadWeights(dir.File("w.safetensors"), [("layer", same), ("extra", nn.Linear(1, 1))]);
        Assert.Equal(small.weight!.data<float>().ToArray(), same.weight!.data<float>().ToArray());
    }
}
