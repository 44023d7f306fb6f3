using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Privacy;
using EhrSynth.Generators.Testing;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Vae.Tests;

public class VaePrivacyTests
{
    private static readonly Data.EhrDataset Data = Fixtures.Public(Fixtures.Structured(patients: 200, codes: 12, seed: 4));

    private static VaeOptions Options(DifferentialPrivacyOptions privacy) => new()
    {
        Architecture = VaeArchitecture.Mlp,
        DecoderBiasAtLogOdds = true,
        Seed = 2,
        Epochs = 2,
        BatchSize = 20,
        MlpHidden = 16,
        LatentDim = 4,
        Threads = 1,
        Privacy = privacy,
    };

    [Fact]
    public async Task PrivateFit_ReportsTheAccountantsEpsilon_AndKeepsItThroughSaveAndLoad()
    {
        using var dir = new TempDirectory();
        using var vae = new VaeGenerator(Options(new DifferentialPrivacyOptions { NoiseMultiplier = 1.1, Delta = 1e-3, ClipNorm = 0.5 }));
        var phases = new HashSet<Generation.TrainingPhaseName>();
        var ghost = new List<double>();
        await vae.FitAsync(Data, new SyncProgress<Generation.TrainingProgress>(p =>
        {
            phases.Add(p.Phase);
            ghost.Add(p.Diagnostics["ghost_clipping"]);
        }));
        Assert.All(ghost, g => Assert.Equal(1, g));                              // the MLP VAE takes the fast path

        // q = 20/200, 10 steps per epoch × 2 epochs, at σ = 1.1: the accountant's ε, computed here independently.
        var g = vae.PrivacyGuarantee!;
        Assert.Equal([Generation.TrainingPhaseName.DpSgd], phases);
        Assert.Equal((0.1, 1.1, 20L, 0.5, 1e-3), (g.SampleRate, g.NoiseMultiplier, g.Steps, g.ClipNorm, g.Delta));
        Assert.Equal(RdpAccountant.Epsilon(1.1, 0.1, 20, 1e-3), g.Epsilon, 12);
        Assert.Equal(50, vae.Generate(50).PatientCount);

        vae.Save(dir.File("model"));
        using var loaded = VaeGenerator.Load(dir.File("model"));
        Assert.Equal(g, loaded.PrivacyGuarantee);
    }

    [Fact]
    public async Task ConvolutionalVae_FallsBackToMicrobatchesOfOne()
    {
        var options = Options(new DifferentialPrivacyOptions { NoiseMultiplier = 1, Delta = 1e-3 });
        (options.Architecture, options.HiddenChannels, options.Epochs) = (VaeArchitecture.Convolutional, 4, 1);
        using var vae = new VaeGenerator(options);
        var ghost = new List<double>();
        await vae.FitAsync(Data, new SyncProgress<Generation.TrainingProgress>(p => ghost.Add(p.Diagnostics["ghost_clipping"])));
        Assert.NotEmpty(ghost);
        Assert.All(ghost, g => Assert.Equal(0, g));
        Assert.NotNull(vae.PrivacyGuarantee);
    }

    [Fact]
    public async Task TargetEpsilon_CalibratesTheNoise_SoTheFitSpendsAtMostIt()
    {
        using var vae = new VaeGenerator(Options(new DifferentialPrivacyOptions { TargetEpsilon = 3, Delta = 1e-3 }));
        await vae.FitAsync(Data);
        var g = vae.PrivacyGuarantee!;
        Assert.InRange(g.Epsilon, 2.99, 3.0);
        Assert.Equal(NoiseCalibration.NoiseMultiplier(3, 1e-3, 0.1, 20), g.NoiseMultiplier, 12);
    }

    [Fact]
    public async Task ExpectedBatchSize_SetsTheSamplingRateAndTheSteps()
    {
        using var vae = new VaeGenerator(Options(new DifferentialPrivacyOptions { NoiseMultiplier = 1, Delta = 1e-3, ExpectedBatchSize = 50 }));
        var batches = new List<double>();
        await vae.FitAsync(Data, new SyncProgress<Generation.TrainingProgress>(p => batches.Add(p.Diagnostics["batch"])));
        var g = vae.PrivacyGuarantee!;
        Assert.Equal(50.0 / 200, g.SampleRate, 12);                            // not the options' batch of 20
        Assert.Equal(2 * 4L, g.Steps);                                         // ⌈200 / 50⌉ steps per epoch, 2 epochs
        Assert.Equal(RdpAccountant.Epsilon(1, 0.25, 8, 1e-3), g.Epsilon, 12);
        Assert.InRange(batches.Average(), 25, 75);                              // Poisson batches of mean 50
    }

    [Fact]
    public async Task PrivateFit_DoesNotStartFromTheDatasPrevalences()
    {
        // Every code occurs in 90 % of the records. An ordinary fit starts the decoder's bias at those log-odds; a
        // private one may not read them and starts at 1/D. With a learning rate too small to learn, samples show the start.
        var common = Fixtures.Public(Fixtures.Random(patients: 300, codes: 12, p: 0.9, seed: 3));
        double MeanPrevalence(Data.EhrDataset d) => d.CodePrevalence().Average();
        VaeOptions Untrained(DifferentialPrivacyOptions? privacy)
        {
            var o = Options(privacy ?? new DifferentialPrivacyOptions { NoiseMultiplier = 1 });
            (o.Privacy, o.Epochs, o.LearningRate) = (privacy, 1, 1e-8);
            return o;
        }

        using var ordinary = new VaeGenerator(Untrained(null));
        using var privateVae = new VaeGenerator(Untrained(new DifferentialPrivacyOptions { NoiseMultiplier = 1, Delta = 1e-3 }));
        await ordinary.FitAsync(common);
        await privateVae.FitAsync(common);
        Assert.InRange(MeanPrevalence(ordinary.Generate(500, seed: 1)), 0.75, 1.0);
        Assert.InRange(MeanPrevalence(privateVae.Generate(500, seed: 1)), 0.0, 0.3);
    }

    [Fact]
    public async Task OrdinaryFit_HasNoGuarantee()
    {
        var options = Options(new DifferentialPrivacyOptions { NoiseMultiplier = 1 });
        options.Privacy = null;
        using var vae = new VaeGenerator(options);
        await vae.FitAsync(Data);
        Assert.Null(vae.PrivacyGuarantee);
    }

    [Fact]
    public void PrivateOptions_ListEveryProblemAtOnce()
    {
        var options = Options(new DifferentialPrivacyOptions { TargetEpsilon = 3, NoiseMultiplier = 1, Delta = 2, ClipNorm = 0 });
        options.ValidationFraction = 0.2;
        var e = Assert.Throws<ValidationException>(() => new VaeGenerator(options));
        foreach (string part in new[] { "exactly one of TargetEpsilon", "Delta must be in (0, 1)", "ClipNorm must be a positive", "ValidationFraction = 0" })
        {
            Assert.Contains(part, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DeltaNotBelowOneOverN_IsRefusedBeforeTraining()
    {
        using var vae = new VaeGenerator(Options(new DifferentialPrivacyOptions { NoiseMultiplier = 1, Delta = 0.01 }));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => vae.FitAsync(Data));
        Assert.Contains("not below 1/N", e.Message, StringComparison.Ordinal);
        Assert.False(vae.IsFitted);
    }
}
