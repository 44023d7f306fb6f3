using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Metrics.Baselines;

/// <summary>Options of <see cref="IndependentMarginalsGenerator"/>: the seed, and — for the private floor — a guarantee.</summary>
public sealed class IndependentMarginalsOptions : EhrGeneratorOptions
{
    /// <summary>
    /// Release the prevalences with the Gaussian mechanism at this ε (the private floor: what a data custodian can publish
    /// for almost nothing, against which every private model is judged). The default value is <see langword="null"/>:
    /// the exact training prevalences (the floor of every comparison).
    /// </summary>
    public double? Epsilon { get; set; }

    /// <summary>δ of the private release. The default value is 1e-5.</summary>
    public double Delta { get; set; } = 1e-5;

    /// <summary>
    /// K of the private release: a patient with k codes adds min(1, K/k) to each of them, so the counts move by at most
    /// √K in L2 (<see cref="EhrSynth.Generators.Privacy.PrivatePrevalences"/>). The default value is 10.
    /// </summary>
    [Range(1, 100_000)]
    public int CodeCap { get; set; } = 10;

    /// <inheritdoc />
    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Epsilon is { } e && !(e > 0 && double.IsFinite(e)))
        {
            yield return new ValidationResult($"Epsilon must be a positive number (got {e}).", [nameof(Epsilon)]);
        }

        if (!(Delta > 0 && Delta < 1))
        {
            yield return new ValidationResult($"Delta must be in (0, 1) (got {Delta}).", [nameof(Delta)]);
        }
    }
}
