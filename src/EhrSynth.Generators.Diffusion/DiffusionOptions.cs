using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Diffusion;

/// <summary>
/// Network and optimisation settings shared by <see cref="EhrDiffGenerator"/> and <see cref="Ddpm.DdpmGenerator"/>. Defaults are
/// EHRDiff's MIMIC configuration (sczzz3/EHRDiff v2: <c>configs/mimic/train_edm.yaml</c>, <c>model/linear_model.py</c>).
/// </summary>
/// <remarks>
/// Unlike the VAE and the GANs, a diffusion model's output is a sample, not a vector of per-code probabilities: its
/// intermediate values are integration and model error. The default binarisation is therefore EHRDiff's
/// <c>rint(clip(x, 0, 1))</c> (<see cref="Generation.BinarizationMode.Threshold"/> at 0.5); Bernoulli draws from the
/// clipped output are available and measured in docs/models/diffusion.md (they add ~55 spurious codes per record at a
/// short budget).
/// </remarks>
public abstract class DiffusionOptions : ProbabilisticGeneratorOptions
{
    /// <summary>Hidden widths of the denoiser MLP between D and D. The default value is [1024, 384, 384, 384, 1024] (EHRDiff).</summary>
    [MinLength(1)]
    public int[] HiddenDims { get; set; } = [1024, 384, 384, 384, 1024];

    /// <summary>
    /// Width of the sinusoidal noise embedding: even and independent of the number of codes. The default value is 128
    /// (EHRDiff uses D, which crashes on odd D such as 1,071 — EHRDiff issue #2).
    /// </summary>
    [Range(2, 8192)]
    public int TimeEmbeddingDim { get; set; } = 128;

    /// <summary>Width of the time-embedding MLP. The default value is 384 (EHRDiff).</summary>
    [Range(1, 65_536)]
    public int TimeHiddenDim { get; set; } = 384;

    /// <summary>Training epochs. The default value is 5,000 (EHRDiff, ≈ 230k steps on MIMIC-III).</summary>
    [Range(1, 1_000_000)]
    public int Epochs { get; set; } = 5_000;

    /// <summary>Patients per step. The default value is 1,024 (EHRDiff).</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 1_024;

    /// <summary>Peak AdamW learning rate. The default value is 3e-4 (EHRDiff).</summary>
    [Range(1e-8, 10.0)]
    public double LearningRate { get; set; } = 3e-4;

    /// <summary>AdamW weight decay. The default value is 0 (EHRDiff).</summary>
    [Range(0.0, 10.0)]
    public double WeightDecay { get; set; }

    /// <summary>
    /// Share of the run's steps spent warming up linearly before the cosine decay, both laid over the actual number of
    /// steps. The default value is 0.087: EHRDiff's 20,000 warmup steps of its 230,000 on MIMIC-III.
    /// </summary>
    [Range(0.0, 1.0)]
    public double WarmupFraction { get; set; } = 20_000.0 / 230_000;

    /// <summary>EMA decay of the weights used for sampling and saving. The default value is 0.999 (EHRDiff), with its warm-up min(decay, (1 + n)/(10 + n)).</summary>
    [Range(0.0, 1.0)]
    public double EmaDecay { get; set; } = 0.999;

    /// <summary>
    /// Replaces the single threshold by one per code, fitted after training: the model samples
    /// <see cref="CalibrationSamples"/> records, and each code's cut is set so that its share among them equals its
    /// training prevalence (a code present in p % of training patients is present in the p % of samples where the
    /// sampler's output for it is highest). The marginals are then right by construction, and co-occurrence comes from the
    /// joint structure of the sampler's output. Not in EHRDiff (it rounds at 0.5); requires
    /// <see cref="ProbabilisticGeneratorOptions.Binarization"/> = Threshold. The default value is
    /// <see langword="false"/>. Measured in docs/models/diffusion.md. In a private fit it needs
    /// <see cref="Torch.DifferentialPrivacyOptions.PrevalenceNoiseMultiplier"/> and matches the privately released
    /// prevalences instead (docs/privacy.md).
    /// </summary>
    public bool CalibrateThresholds { get; set; }

    /// <summary>
    /// Cohorts by inpainting: how many times each reverse step is taken (RePaint's resampling, Lugmayr et al. 2022, with
    /// jumps of one step): after a step the sample is noised back to the step's level and the step repeated, so the free
    /// codes settle to the imposed ones. 1 is plain replacement. The default value is 10 (RePaint's).
    /// </summary>
    [Range(1, 1_000)]
    public int InpaintingResamples { get; set; } = 10;

    /// <summary>Records sampled after training to fit <see cref="CalibrateThresholds"/>. The default value is 10,000.</summary>
    [Range(100, 1_000_000)]
    public int CalibrationSamples { get; set; } = 10_000;

    /// <inheritdoc />
    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var r in base.Validate(validationContext))
        {
            yield return r;
        }

        if (TimeEmbeddingDim % 2 != 0)
        {
            yield return new ValidationResult($"TimeEmbeddingDim must be even (got {TimeEmbeddingDim}).", [nameof(TimeEmbeddingDim)]);
        }

        if (CalibrateThresholds && Privacy is { PrevalenceNoiseMultiplier: null })
        {
            yield return new ValidationResult("CalibrateThresholds fits cuts to the training prevalences outside DP-SGD; in a private fit, release them privately (Privacy.PrevalenceNoiseMultiplier) or turn it off.", [nameof(CalibrateThresholds), nameof(Privacy)]);
        }

        if (CalibrateThresholds && Binarization != Generation.BinarizationMode.Threshold)
        {
            yield return new ValidationResult($"CalibrateThresholds needs Binarization = Threshold (got {Binarization}).", [nameof(CalibrateThresholds), nameof(Binarization)]);
        }

        if (HiddenDims is null || HiddenDims.Length == 0 || HiddenDims.Any(w => w < 1))
        {
            yield return new ValidationResult("HiddenDims must list at least one positive width.", [nameof(HiddenDims)]);
        }
    }
}
