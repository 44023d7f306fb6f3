using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Marginal;

/// <summary>Options of <see cref="MstGenerator"/>. Defaults are private-pgm's <c>mst.py</c>.</summary>
public sealed class MstOptions : EhrGeneratorOptions
{
    /// <summary>
    /// ε of the (ε, δ)-DP guarantee. The default value is 1 (<c>mst.py</c>). <see langword="null"/> fits the same
    /// estimator without noise (exact marginals, the highest-scoring tree): the family's non-private row, not private.
    /// </summary>
    public double? Epsilon { get; set; } = 1.0;

    /// <summary>δ. The default value is 1e-9 (<c>mst.py</c>).</summary>
    public double Delta { get; set; } = 1e-9;

    /// <summary>What is measured. The default value is <see cref="MstMeasurements.OneHot"/> (the reference).</summary>
    public MstMeasurements Measurements { get; set; } = MstMeasurements.OneHot;

    /// <summary>K of <see cref="MstMeasurements.Sparse"/>: the per-patient weight is min(1, K/k). The default value is 10.</summary>
    [Range(1, 100_000)]
    public int CodeCap { get; set; } = 10;

    /// <summary>
    /// Codes whose noisy one-way count is below this many σ join no pair: they stay independent, drawn at their
    /// one-way estimate, and the tree is drawn among the others (fewer draws, so each gets more of the selection's budget,
    /// and no pair measurement is spent on a code whose count is mostly noise). mst.py's <c>compress_domain</c> applies
    /// the same 3σ rule to attribute values, which leaves a binary code untouched; applied to codes it is a departure.
    /// The default value is <see langword="null"/> (every code joins the tree, as mst.py); the quick preset uses 3.
    /// </summary>
    public double? SupportThreshold { get; set; }

    /// <summary>
    /// The shares of ρ spent on (1) the one-way marginals, (2) the tree's selection and (3) the pair marginals, in that
    /// order; positive, summing to 1. The default value is thirds (<c>mst.py</c>). The quick preset spends half on the
    /// one-way marginals (a departure): over a public list much longer than the codes that occur, most codes join no pair
    /// and their prevalence rests on the one-way measurement alone.
    /// </summary>
    public MstBudgetSplit BudgetSplit { get; set; } = MstBudgetSplit.Thirds;

    /// <summary>Mirror-descent iterations of the final estimate. The default value is 5,000 (<c>mst.py</c>'s FactoredInference).</summary>
    [Range(1, 1_000_000)]
    public int Iterations { get; set; } = 5_000;

    /// <summary>
    /// Codes above which a fit is refused: the selection scores every pair of codes, D(D − 1)/2 of them. The default
    /// value is 4,000 (8 million pairs, about 200 MB).
    /// </summary>
    [Range(2, 20_000)]
    public int MaxCodes { get; set; } = 4_000;

    /// <summary>
    /// The quick and long preset: <see cref="MstMeasurements.Sparse"/> with K = 10, codes below 3σ kept out of the
    /// tree (<see cref="SupportThreshold"/>) and half of ρ on the one-way marginals (<see cref="MstBudgetSplit.OneWayHalf"/>)
    /// — departures from <c>mst.py</c>, named in the settings line — at ε = 1, δ = 1e-9 unless a privacy sweep sets them.
    /// A few seconds on UCI Diabetes.
    /// </summary>
    public static MstOptions Quick(int? seed = null) => new() { Seed = seed, Measurements = MstMeasurements.Sparse, SupportThreshold = 3, BudgetSplit = MstBudgetSplit.OneWayHalf };

    /// <summary>The reference: <c>mst.py</c>'s defaults.</summary>
    public static MstOptions Paper(int? seed = null) => new() { Seed = seed };

    /// <inheritdoc />
    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Epsilon is { } e && !(e > 0 && double.IsFinite(e)))
        {
            yield return new ValidationResult($"Epsilon must be a positive number, or null for no noise (got {e}).", [nameof(Epsilon)]);
        }

        if (!(Delta > 0 && Delta < 1))
        {
            yield return new ValidationResult($"Delta must be in (0, 1) (got {Delta}).", [nameof(Delta)]);
        }

        if (SupportThreshold is { } t && !(t >= 0 && double.IsFinite(t)))
        {
            yield return new ValidationResult($"SupportThreshold must be a non-negative number of σ (got {t}).", [nameof(SupportThreshold)]);
        }

        if (BudgetSplit is null || !BudgetSplit.IsValid)
        {
            yield return new ValidationResult($"BudgetSplit must be three positive shares summing to 1 (got {BudgetSplit?.ToString() ?? "null"}).", [nameof(BudgetSplit)]);
        }

        if (!Enum.IsDefined(Measurements))
        {
            yield return new ValidationResult($"Measurements ({(int)Measurements}) is not an MstMeasurements.", [nameof(Measurements)]);
        }
    }
}
