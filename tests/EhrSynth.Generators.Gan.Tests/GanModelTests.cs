using EhrSynth.Generators.Data;
using EhrSynth.Generators.Gan.CorGan;
using EhrSynth.Generators.Gan.MedGan;
using EhrSynth.Generators.Gan.Modules;
using EhrSynth.Generators.Testing;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan.Tests;

public class GanModelTests
{
    [Fact]
    public void MedGanDiscriminator_SeesTheMinibatchMean()
    {
        using var scope = NewDisposeScope();
        using var averaging = new MinibatchDiscriminatorNet(5, [8], minibatchAveraging: true);
        using var plain = new MinibatchDiscriminatorNet(5, [8], minibatchAveraging: false);
        Assert.Equal(10, averaging.parameters().First().shape[1]);    // the first layer reads [x, mean(x)]: 2D wide
        var a = rand(4, 5);
        var b = a.clone();
        b[3] = ones(5);                                                 // change another record of the batch
        Assert.NotEqual(averaging.call(a)[0].item<float>(), averaging.call(b)[0].item<float>());
        Assert.Equal(plain.call(a)[0].item<float>(), plain.call(b)[0].item<float>());
    }

    [Fact]
    public async Task MedGanBurnIn_ChangesTheRunningStatistics_AndGenerateRestoresThem()
    {
        var data = Fixtures.Structured(patients: 64, codes: 20, seed: 1);
        using var g = new MedGanGenerator(new MedGanOptions { Seed = 1, PretrainEpochs = 1, PretrainBatchSize = 16, Epochs = 1, BatchSize = 32, EmbeddingDim = 8, DiscriminatorDims = [8], BurnInBatches = 50, Threads = 1 });
        await g.FitAsync(data);
        var norm = g.GeneratorNet.Norms[0];
        var trained = norm.running_mean!.data<float>().ToArray();
        using (var rng = new Generator(3, CPU))
        using (no_grad())
        {
            g.BurnIn(rng, CancellationToken.None);
        }

        var burnedIn = norm.running_mean!.data<float>().ToArray();
        Assert.NotEqual(trained, burnedIn);

        using (no_grad())
        {
            norm.running_mean!.copy_(tensor(trained));
        }

        g.Generate(20);
        Assert.Equal(trained, norm.running_mean!.data<float>().ToArray());
    }

    [Fact]
    public void CorGanStack_EqualsTheReferenceAt1071()
    {
        var g = CorGanGeometry.For(1071);
        Assert.Equal([1071, 534, 265, 87, 28, 8], g.EncoderLengths);
        Assert.Equal(8, g.LastEncoderKernel);
        Assert.Equal(5, g.FirstDecoderKernel);
        Assert.Equal(1071, g.DecoderOutput);
        Assert.Equal(1071, g.PaddedCodes);
        using var encoder = new CorGanEncoderNet(g);
        using var decoder = new CorGanDecoderNet(g);
        // Parameter counts of the reference's encoder and decoder (reference-models.md §3.1).
        Assert.Equal(79_648, encoder.parameters().Sum(p => p.numel()));
        Assert.Equal(56_161, decoder.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(220)]
    [InlineData(221)]
    [InlineData(500)]
    [InlineData(881)]
    [InlineData(1071)]
    [InlineData(1782)]
    public void CorGanStack_RoundTripsD(int codes)
    {
        var g = CorGanGeometry.For(codes);
        Assert.True(g.DecoderOutput >= codes);
        Assert.True(g.FirstDecoderKernel == 1 || CorGanGeometry.DecodedLength(g.FirstDecoderKernel - 1) < codes);
        using var scope = NewDisposeScope();
        using var autoencoder = new CorGanAutoencoderNet(g);
        autoencoder.eval();
        var code = autoencoder.Encoder.call(zeros(3, codes));
        Assert.Equal([3L, 128, 1], code.shape);
        Assert.Equal([3L, codes], autoencoder.call(zeros(3, codes)).shape);
    }

    [Fact]
    public async Task CorGanCritic_WeightsStayClippedAfterEveryCriticStep()
    {
        var data = Fixtures.Structured(patients: 64, codes: 20, seed: 1);
        using var g = new CorGanGenerator(new CorGanOptions { Seed = 1, PretrainEpochs = 0, Epochs = 2, BatchSize = 16, CriticDims = [16], BoostedCriticSteps = 4, CriticSteps = 2, LearningRate = 0.05, Threads = 1 });
        int steps = 0;
        double largest = 0;
        g.AfterCriticStep = critic =>
        {
            steps++;
            largest = Math.Max(largest, critic.parameters().Max(p => p.abs().max().item<float>()));
        };
        await g.FitAsync(data);
        Assert.Equal(4 * 8, steps);                     // 8 generator iterations (64 / 16 × 2 epochs) in the boosted window
        Assert.True(largest <= 0.01 + 1e-7, $"largest critic weight {largest}");
        Assert.True(largest > 0.009, "a learning rate this high must hit the clip");
    }

    [Fact]
    public void CorGanCriticSchedule_IsArjovskys()
    {
        using var g = new CorGanGenerator();
        Assert.All(Enumerable.Range(0, 25), i => Assert.Equal(100, g.CriticStepsAt(i)));
        Assert.Equal(5, g.CriticStepsAt(25));
        Assert.Equal(5, g.CriticStepsAt(499));
        Assert.Equal(100, g.CriticStepsAt(500));
        Assert.Equal(5, g.CriticStepsAt(501));
    }

    [Fact]
    public void ModeCollapse_FlagsFewDistinctRecordsAndMissingCodes()
    {
        var real = Fixtures.Random(500, 30, 0.1, seed: 1);
        Assert.Null(ModeCollapse.Check("m", Fixtures.Random(500, 30, 0.1, seed: 2), real));
        var collapsed = EhrDataset.FromRecords(Enumerable.Range(0, 500).Select(i => new PatientRecord($"s{i}", ["R1", "R2"])), real.Vocabulary);
        var warning = ModeCollapse.Check("m", collapsed, real);
        Assert.NotNull(warning);
        Assert.Contains("distinct", warning, StringComparison.Ordinal);
        Assert.Contains("never generated", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MedGan_TheAdversarialPhaseLearnsCoOccurrence_NotJustTheAutoencoder()
    {
        // Same autoencoder pre-training; one GAN epoch against thirty. The decoder alone (fed an untrained generator)
        // does not reproduce which codes occur together; the adversarial phase does.
        var data = Fixtures.Structured(patients: 1_200, codes: 16, seed: 11);
        async Task<double> Error(int ganEpochs)
        {
            using var g = new MedGanGenerator(new MedGanOptions
            {
                Seed = 1, PretrainEpochs = 10, PretrainBatchSize = 64, Epochs = ganEpochs, BatchSize = 64, EmbeddingDim = 16,
                DiscriminatorDims = [32, 16], DiscriminatorSteps = 1, LearningRate = 2e-3, AdamBeta1 = 0.5, SampledFakes = true,
                BatchNormQuirk = false, BurnInBatches = 20, Threads = 1,
            });
            await g.FitAsync(data);
            return NaiveStatistics.CovarianceError(g.Generate(3_000, seed: 9), data);
        }

        double oneEpoch = await Error(1), thirty = await Error(30);
        Assert.True(oneEpoch > 0.9, $"after one GAN epoch the covariance error is already {oneEpoch:F3}");
        Assert.True(thirty < 0.6 * oneEpoch, $"30 GAN epochs: {thirty:F3}, 1 epoch: {oneEpoch:F3}");
    }
}
