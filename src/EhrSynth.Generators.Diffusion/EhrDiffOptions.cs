using System.ComponentModel.DataAnnotations;

namespace EhrSynth.Generators.Diffusion;

/// <summary>
/// Options of <see cref="EhrDiffGenerator"/>, EHRDiff's EDM model. Defaults are EHRDiff's MIMIC configuration
/// (<c>configs/mimic/train_edm.yaml</c>, <c>sample_edm.yaml</c>).
/// </summary>
public sealed class EhrDiffOptions : DiffusionOptions
{
    /// <summary>Creates the options; the output is thresholded at 0.5 after clipping, as in EHRDiff.</summary>
    public EhrDiffOptions() => Binarization = Generation.BinarizationMode.Threshold;

    /// <summary>
    /// The EHRDiff release to follow. The default value is <see cref="EhrDiffVersion.V2"/> (the current code); the
    /// <see cref="Paper"/> preset uses <see cref="EhrDiffVersion.V1"/>, the release the paper most likely ran.
    /// </summary>
    public EhrDiffVersion Version { get; set; } = EhrDiffVersion.V2;

    /// <summary>
    /// With <see cref="EhrDiffVersion.V1"/>: steps between v1's selection samples (and one at the last step). The default
    /// value is 5,000 (EHRDiff v1's monitoring interval).
    /// </summary>
    [Range(1, 100_000_000)]
    public int V1SelectionEverySteps { get; set; } = 5_000;

    /// <summary>σ_data of the EDM preconditioning; data stay 0/1 floats. The default value is 0.14 (EHRDiff).</summary>
    [Range(1e-6, 100.0)]
    public double SigmaData { get; set; } = 0.14;

    /// <summary>Mean of ln σ during training. The default value is −1.2 (EHRDiff).</summary>
    [Range(-100.0, 100.0)]
    public double PMean { get; set; } = -1.2;

    /// <summary>Standard deviation of ln σ during training. The default value is 1.2 (EHRDiff).</summary>
    [Range(1e-6, 100.0)]
    public double PStd { get; set; } = 1.2;

    /// <summary>Smallest sampler noise level. The default value is 0.02 (EHRDiff).</summary>
    [Range(1e-8, 1e6)]
    public double SigmaMin { get; set; } = 0.02;

    /// <summary>Largest sampler noise level. The default value is 80 (EHRDiff).</summary>
    [Range(1e-8, 1e6)]
    public double SigmaMax { get; set; } = 80;

    /// <summary>ρ of the noise-level grid. The default value is 7 (EHRDiff).</summary>
    [Range(1e-3, 1e3)]
    public double Rho { get; set; } = 7;

    /// <summary>Noise levels of the Heun sampler (2N − 1 network evaluations). The default value is 32 (63 evaluations, EHRDiff).</summary>
    [Range(2, 10_000)]
    public int SamplerSteps { get; set; } = 32;

    /// <summary>EDM's stochasticity S_churn; 0 is the deterministic sampler. The default value is 0 (EHRDiff).</summary>
    [Range(0.0, 1e6)]
    public double SChurn { get; set; }

    /// <summary>Lowest σ at which churn applies. The default value is 0.</summary>
    [Range(0.0, 1e6)]
    public double SMin { get; set; }

    /// <summary>Highest σ at which churn applies. The default value is 1e6 (everywhere).</summary>
    [Range(0.0, 1e12)]
    public double SMax { get; set; } = 1e6;

    /// <summary>Noise scale of the churn. The default value is 1.</summary>
    [Range(0.0, 100.0)]
    public double SNoise { get; set; } = 1;

    /// <summary>
    /// About 25 s on UCI Diabetes with 2 CPU cores: a narrower denoiser (256/128), 4 epochs at batch 256 with a
    /// higher peak learning rate, a 10-level sampler, and per-code thresholds calibrated to the training prevalence
    /// (<see cref="DiffusionOptions.CalibrateThresholds"/>; without them this budget does not beat the floor). See
    /// docs/models/diffusion.md.
    /// </summary>
    /// <param name="seed">The seed.</param>
    public static EhrDiffOptions Quick(int? seed = null) => new()
    {
        Seed = seed,
        HiddenDims = [256, 128, 128, 128, 256],
        TimeHiddenDim = 128,
        Epochs = 4,
        BatchSize = 256,
        LearningRate = 2e-3,
        SamplerSteps = 10,
        CalibrateThresholds = true,
    };

    /// <summary>The quick network (calibrated thresholds included) trained for 100 epochs and sampled with EHRDiff's 32-level Heun sampler (about 7 minutes on UCI Diabetes with 2 CPU cores).</summary>
    /// <param name="seed">The seed.</param>
    public static EhrDiffOptions Long(int? seed = null)
    {
        var options = Quick(seed);
        (options.Epochs, options.SamplerSteps) = (100, 32);
        return options;
    }

    /// <summary>
    /// EHRDiff's MIMIC settings (the defaults) with <see cref="EhrDiffVersion.V1"/>: the paper's newest reference is from
    /// October 2023 and its author reported on v1 in September 2023, before v2 was released (March 2024). Raw (clipped,
    /// not binarised) samples are what v1's <c>gen_dat.py</c> saved; the library still binarises at 0.5 after clipping,
    /// as v2 and the paper's binary evaluation need. Meant for a GPU.
    /// </summary>
    /// <param name="seed">The seed.</param>
    public static EhrDiffOptions Paper(int? seed = null) => new() { Seed = seed, Version = EhrDiffVersion.V1 };

    /// <inheritdoc />
    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var r in base.Validate(validationContext))
        {
            yield return r;
        }

        if (SigmaMin >= SigmaMax)
        {
            yield return new ValidationResult($"SigmaMin ({SigmaMin}) must be below SigmaMax ({SigmaMax}).", [nameof(SigmaMin), nameof(SigmaMax)]);
        }

        if (Version == EhrDiffVersion.V1 && Privacy is not null)
        {
            yield return new ValidationResult("Version = V1 selects its model by the Pearson correlation of samples with the training data during the fit, a look at the patients that DP-SGD's accountant does not count; train privately with Version = V2.", [nameof(Version), nameof(Privacy)]);
        }
    }
}
