using System.ComponentModel.DataAnnotations;

namespace EhrSynth.Generators.Diffusion.Ddpm;

/// <summary>
/// Options of <see cref="DdpmGenerator"/>: Ho et al. (2020)'s schedule and objective with EHRDiff's denoiser and
/// optimisation (so the two diffusion families differ only in the diffusion process).
/// </summary>
public sealed class DdpmOptions : DiffusionOptions
{
    /// <summary>Creates the options; the sample is thresholded at 0.5 after mapping to [0, 1], like EHRDiff's.</summary>
    public DdpmOptions() => Binarization = Generation.BinarizationMode.Threshold;

    /// <summary>Diffusion steps T. The default value is 1,000 (Ho et al.).</summary>
    [Range(1, 100_000)]
    public int Timesteps { get; set; } = 1_000;

    /// <summary>β_1. The default value is 1e-4 (Ho et al.).</summary>
    [Range(1e-8, 0.5)]
    public double BetaStart { get; set; } = 1e-4;

    /// <summary>β_T. The default value is 0.02 (Ho et al.).</summary>
    [Range(1e-8, 0.9)]
    public double BetaEnd { get; set; } = 0.02;

    /// <summary>The sampler. The default value is <see cref="DdpmSampler.Ancestral"/> (Ho et al.).</summary>
    public DdpmSampler Sampler { get; set; } = DdpmSampler.Ancestral;

    /// <summary>
    /// What the network predicts. The default value is <see cref="DdpmPrediction.Noise"/> (Ho et al.); the quick and long
    /// presets use <see cref="DdpmPrediction.Data"/>, a departure named in their settings line, because EHRDiff's
    /// bottlenecked denoiser cannot predict the noise of a wide record.
    /// </summary>
    public DdpmPrediction Prediction { get; set; } = DdpmPrediction.Noise;

    /// <summary>Steps of the DDIM sampler. The default value is 50.</summary>
    [Range(1, 100_000)]
    public int DdimSteps { get; set; } = 50;

    /// <summary>
    /// About a minute on UCI Diabetes with 2 CPU cores: EHRDiff's quick network and budget, DDIM with 10 steps, and the
    /// network predicting x₀ (<see cref="DdpmPrediction.Data"/>; with ε-prediction this network emits about half of the
    /// codes in every record).
    /// </summary>
    /// <param name="seed">The seed.</param>
    public static DdpmOptions Quick(int? seed = null) => new()
    {
        Seed = seed,
        HiddenDims = [256, 128, 128, 128, 256],
        TimeHiddenDim = 128,
        Epochs = 12,
        BatchSize = 256,
        LearningRate = 2e-3,
        Sampler = DdpmSampler.Ddim,
        DdimSteps = 10,
        Prediction = DdpmPrediction.Data,
    };

    /// <summary>The quick network (predicting x₀) trained for 100 epochs and sampled with 50 DDIM steps.</summary>
    /// <param name="seed">The seed.</param>
    public static DdpmOptions Long(int? seed = null)
    {
        var options = Quick(seed);
        (options.Epochs, options.DdimSteps) = (100, 50);
        return options;
    }

    /// <summary>Not in the paper (its "DDPM" row is EHRDiff): a classic DDPM (Ho et al. 2020: 1,000 steps, linear β) on EHRDiff's denoiser and optimiser settings, the defaults.</summary>
    /// <param name="seed">The seed.</param>
    public static DdpmOptions Paper(int? seed = null) => new() { Seed = seed };

    /// <inheritdoc />
    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var r in base.Validate(validationContext))
        {
            yield return r;
        }

        if (BetaStart > BetaEnd)
        {
            yield return new ValidationResult($"BetaStart ({BetaStart}) must not exceed BetaEnd ({BetaEnd}).", [nameof(BetaStart), nameof(BetaEnd)]);
        }

        if (!Enum.IsDefined(Sampler))
        {
            yield return new ValidationResult($"Sampler ({(int)Sampler}) is not a DdpmSampler.", [nameof(Sampler)]);
        }

        if (!Enum.IsDefined(Prediction))
        {
            yield return new ValidationResult($"Prediction ({(int)Prediction}) is not a DdpmPrediction.", [nameof(Prediction)]);
        }

        if (DdimSteps > Timesteps)
        {
            yield return new ValidationResult($"DdimSteps ({DdimSteps}) cannot exceed Timesteps ({Timesteps}).", [nameof(DdimSteps)]);
        }
    }
}
