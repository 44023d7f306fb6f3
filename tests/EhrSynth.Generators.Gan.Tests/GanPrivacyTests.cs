using EhrSynth.Generators.Gan.CorGan;
using EhrSynth.Generators.Gan.MedGan;
using EhrSynth.Generators.Testing;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Gan.Tests;

/// <summary>The GANs train an autoencoder and then a discriminator on real records in two phases: not supported under DP.</summary>
public class GanPrivacyTests
{
    [Fact]
    public async Task MedGan_RefusesPrivateTraining_BeforeTouchingTheData()
    {
        var options = MedGanContractTests.Tiny(seed: 1, epochs: 1, checkpointDirectory: null);
        options.Privacy = new DifferentialPrivacyOptions { NoiseMultiplier = 1, Delta = 1e-4 };
        using var gan = new MedGanGenerator(options);
        var e = await Assert.ThrowsAsync<NotSupportedException>(() => gan.FitAsync(Fixtures.Structured(200, 12, 3)));
        Assert.Contains("does not support differential privacy", e.Message, StringComparison.Ordinal);
        Assert.Contains("whose description lists DP-SGD", e.Message, StringComparison.Ordinal);   // found in the family descriptions, not a list of names
        Assert.False(gan.IsFitted);
    }

    [Fact]
    public async Task CorGan_RefusesPrivateTraining()
    {
        var options = new CorGanOptions { Seed = 1, PretrainEpochs = 1, Epochs = 1, Threads = 1, Privacy = new DifferentialPrivacyOptions { TargetEpsilon = 3, Delta = 1e-4 } };
        using var gan = new CorGanGenerator(options);
        await Assert.ThrowsAsync<NotSupportedException>(() => gan.FitAsync(Fixtures.Structured(200, 12, 3)));
    }
}
