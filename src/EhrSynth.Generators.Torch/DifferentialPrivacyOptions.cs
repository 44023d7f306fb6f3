using System.ComponentModel.DataAnnotations;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// Differentially private training (DP-SGD, Abadi et al. 2016) for the families that support it: every patient joins
/// each step's batch independently with probability q = BatchSize / N (Poisson sampling), each patient's gradient is
/// clipped to <see cref="ClipNorm"/>, Gaussian noise of standard deviation σ·C is added to their sum, and the sum is
/// divided by the expected batch size q·N. The privacy spent is accounted by Rényi DP
/// (<see cref="Privacy.RdpAccountant"/>) and reported as (ε, δ) for the add-or-remove-one-patient relation. Give
/// either <see cref="TargetEpsilon"/> (σ is calibrated before training) or <see cref="NoiseMultiplier"/> (ε is reported).
/// </summary>
public sealed class DifferentialPrivacyOptions
{
    /// <summary>The ε to reach at the end of training; σ is calibrated to it. The default value is <see langword="null"/>.</summary>
    public double? TargetEpsilon { get; set; }

    /// <summary>σ, the noise's standard deviation over the clipping norm; ε is reported. The default value is <see langword="null"/>.</summary>
    public double? NoiseMultiplier { get; set; }

    /// <summary>δ. The default value is 1e-5; it must be below 1/N (N training patients), so that leaking one whole record with probability δ is ruled out.</summary>
    public double Delta { get; set; } = 1e-5;

    /// <summary>C, the bound on one patient's gradient norm (Abadi et al.'s default). The default value is 1.</summary>
    public double ClipNorm { get; set; } = 1.0;

    /// <summary>
    /// The expected batch size q·N of DP-SGD's Poisson batches. The default value is <see langword="null"/> (the family's
    /// <c>BatchSize</c>). Larger batches need a larger σ for the same ε but add less noise per patient (σC / (qN)); the
    /// number of steps per epoch falls with them.
    /// </summary>
    public int? ExpectedBatchSize { get; set; }

    /// <summary>
    /// z of a private release of the code prevalences before training (<see cref="Privacy.PrivatePrevalences"/>: the
    /// Gaussian mechanism on counts whose per-patient L2 norm is at most √<see cref="PrevalenceCodeCap"/>), for the
    /// families whose data-dependent steps need prevalences (EHRDiff's and DDPM's per-code thresholds). Its privacy cost,
    /// α/(2z²) RDP, is composed with the DP-SGD steps and σ is calibrated for what is left. The default value is
    /// <see langword="null"/> (no release; such steps are then refused).
    /// </summary>
    public double? PrevalenceNoiseMultiplier { get; set; }

    /// <summary>K of the prevalence release: a patient with k &gt; K codes adds K/k per code instead of 1. The default value is 10.</summary>
    public int PrevalenceCodeCap { get; set; } = 10;

    /// <summary>Every problem with the settings, empty when there is none.</summary>
    public IEnumerable<ValidationResult> Problems()
    {
        const string prefix = nameof(TorchGeneratorOptions.Privacy) + ".";
        if (TargetEpsilon is null == NoiseMultiplier is null)
        {
            yield return new ValidationResult("Privacy needs exactly one of TargetEpsilon (σ is calibrated) and NoiseMultiplier (ε is reported).", [prefix + nameof(TargetEpsilon), prefix + nameof(NoiseMultiplier)]);
        }

        if (TargetEpsilon is { } eps && !(eps > 0 && double.IsFinite(eps)))
        {
            yield return new ValidationResult($"Privacy.TargetEpsilon must be a positive number (got {eps}).", [prefix + nameof(TargetEpsilon)]);
        }

        if (NoiseMultiplier is { } sigma && !(sigma > 0 && double.IsFinite(sigma)))
        {
            yield return new ValidationResult($"Privacy.NoiseMultiplier must be a positive number (got {sigma}).", [prefix + nameof(NoiseMultiplier)]);
        }

        if (!(Delta > 0 && Delta < 1))
        {
            yield return new ValidationResult($"Privacy.Delta must be in (0, 1) (got {Delta}).", [prefix + nameof(Delta)]);
        }

        if (PrevalenceNoiseMultiplier is { } z && !(z > 0 && double.IsFinite(z)))
        {
            yield return new ValidationResult($"Privacy.PrevalenceNoiseMultiplier must be a positive number (got {z}).", [prefix + nameof(PrevalenceNoiseMultiplier)]);
        }

        if (ExpectedBatchSize is { } b && b < 1)
        {
            yield return new ValidationResult($"Privacy.ExpectedBatchSize must be at least 1 (got {b}).", [prefix + nameof(ExpectedBatchSize)]);
        }

        if (PrevalenceCodeCap < 1)
        {
            yield return new ValidationResult($"Privacy.PrevalenceCodeCap must be at least 1 (got {PrevalenceCodeCap}).", [prefix + nameof(PrevalenceCodeCap)]);
        }

        if (!(ClipNorm > 0 && double.IsFinite(ClipNorm)))
        {
            yield return new ValidationResult($"Privacy.ClipNorm must be a positive number (got {ClipNorm}).", [prefix + nameof(ClipNorm)]);
        }
    }
}
