using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Diffusion.Ddpm;
using EhrSynth.Generators.Privacy;
using EhrSynth.Generators.Testing;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Diffusion.Tests;

public class DiffusionPrivacyTests
{
    private static readonly Data.EhrDataset Data = Fixtures.Public(Fixtures.Structured(patients: 120, codes: 12, seed: 4));

    [Fact]
    public async Task EhrDiff_PrivateFit_TrainsTheDenoiser_AndReportsTheGuarantee()
    {
        var options = EhrDiffContractTests.Tiny(seed: 1, epochs: 2, checkpointDirectory: null);
        options.Privacy = new DifferentialPrivacyOptions { NoiseMultiplier = 0.9, Delta = 1e-3 };
        using var model = new EhrDiffGenerator(options);
        var ghost = new List<double>();
        await model.FitAsync(Data, new SyncProgress<Generation.TrainingProgress>(p => ghost.Add(p.Diagnostics["ghost_clipping"])));
        Assert.All(ghost, x => Assert.Equal(1, x));                            // the denoiser is all Linear: the fast path
        var g = model.PrivacyGuarantee!;
        Assert.Equal(16.0 / 120, g.SampleRate, 12);
        Assert.Equal(2 * 8L, g.Steps);                                         // ⌈120 / 16⌉ = 8 steps per epoch
        Assert.Equal(RdpAccountant.Epsilon(0.9, 16.0 / 120, 16, 1e-3), g.Epsilon, 12);
        Assert.Equal(30, model.Generate(30).PatientCount);
    }

    [Fact]
    public void EhrDiffV1_WithPrivacy_IsRefused_ItsSelectionLooksAtThePatients()
    {
        var options = EhrDiffOptions.Paper(seed: 1);
        options.Privacy = new DifferentialPrivacyOptions { TargetEpsilon = 3 };
        var e = Assert.Throws<ValidationException>(() => new EhrDiffGenerator(options));
        Assert.Contains("Version = V1 selects its model", e.Message, StringComparison.Ordinal);
        options.Version = EhrDiffVersion.V2;
        using var v2 = new EhrDiffGenerator(options);                           // v2 with privacy is fine
    }

    [Fact]
    public async Task PrivateFit_OverAVocabularyReadFromThePatients_IsRefused_AndSaysHowToPassAPublicList()
    {
        var options = EhrDiffContractTests.Tiny(seed: 1, epochs: 1, checkpointDirectory: null);
        options.Privacy = new DifferentialPrivacyOptions { NoiseMultiplier = 0.9, Delta = 1e-3 };
        using var model = new EhrDiffGenerator(options);
        var fromPatients = Fixtures.Structured(patients: 120, codes: 12, seed: 4);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => model.FitAsync(fromPatients));
        Assert.Contains("public code list", e.Message, StringComparison.Ordinal);
        Assert.Contains("EhrDatasets.PublicCategories", e.Message, StringComparison.Ordinal);
        Assert.Contains("AsPublic()", e.Message, StringComparison.Ordinal);
        Assert.False(model.IsFitted);

        await model.FitAsync(fromPatients.AlignTo(fromPatients.Vocabulary.AsPublic()));     // declared public: accepted
        Assert.True(model.IsFitted);
    }

    [Fact]
    public async Task Ddpm_PrivateFit_Trains()
    {
        using var model = new DdpmGenerator(new DdpmOptions
        {
            Seed = 1, Epochs = 1, BatchSize = 16, HiddenDims = [16], TimeEmbeddingDim = 8, TimeHiddenDim = 8, Timesteps = 20,
            Sampler = DdpmSampler.Ddim, DdimSteps = 4, Threads = 1,
            Privacy = new DifferentialPrivacyOptions { TargetEpsilon = 8, Delta = 1e-3 },
        });
        await model.FitAsync(Data);
        Assert.InRange(model.PrivacyGuarantee!.Epsilon, 7.99, 8);
    }

    [Fact]
    public async Task CalibratedThresholds_UnderPrivacy_MatchThePrivatelyReleasedPrevalences_ChargedToTheGuarantee()
    {
        var options = EhrDiffContractTests.Tiny(seed: 1, epochs: 1, checkpointDirectory: null);
        (options.CalibrateThresholds, options.CalibrationSamples, options.Binarization) = (true, 500, Generation.BinarizationMode.Threshold);
        // z = 5 with K = 10 on 120 patients: count noise of sd 16, so some of the 12 codes (all present in the data) are
        // released at prevalence 0 and are never emitted — which the real prevalences would not do.
        options.Privacy = new DifferentialPrivacyOptions { NoiseMultiplier = 0.9, Delta = 1e-3, PrevalenceNoiseMultiplier = 5 };
        using var model = new EhrDiffGenerator(options);
        await model.FitAsync(Data);
        Assert.All(Enumerable.Range(0, Data.CodeCount), c => Assert.True(Data.CodeCounts()[c] > 0));
        Assert.Contains(model.CodeCuts!, cut => cut == CodeThresholds.Never);

        var g = model.PrivacyGuarantee!;
        var expected = new RdpAccountant();
        expected.ComposeGaussian(5);
        expected.Compose(0.9, 16.0 / 120, 8);
        Assert.Equal(expected.GetEpsilon(1e-3).Epsilon, g.Epsilon, 12);
        Assert.True(g.Epsilon > RdpAccountant.Epsilon(0.9, 16.0 / 120, 8, 1e-3));
        Assert.Equal(5.0, g.PrevalenceNoiseMultiplier);
        Assert.Equal(10, g.PrevalenceCodeCap);
        Assert.EndsWith(", prevalences z 5, K 10", g.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CalibratedThresholds_AreRefusedUnderPrivacy()
    {
        var options = EhrDiffContractTests.Tiny(seed: 1, epochs: 1, checkpointDirectory: null);
        options.CalibrateThresholds = true;
        options.Binarization = Generation.BinarizationMode.Threshold;
        options.Privacy = new DifferentialPrivacyOptions { NoiseMultiplier = 1 };
        var e = Assert.Throws<ValidationException>(() => { using var model = new EhrDiffGenerator(options); });
        Assert.Contains("CalibrateThresholds fits cuts to the training prevalences outside DP-SGD; in a private fit, release them privately (Privacy.PrevalenceNoiseMultiplier)", e.Message, StringComparison.Ordinal);
    }
}
