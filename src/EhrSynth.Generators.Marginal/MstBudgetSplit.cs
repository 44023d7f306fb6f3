using System.Globalization;

namespace EhrSynth.Generators.Marginal;

/// <summary>
/// How MST divides its ρ-zCDP budget between its three steps: the one-way marginals, the selection of the tree, and the
/// tree's pair marginals. The shares are positive and sum to 1; ρ is spent exactly (zCDP composes by addition).
/// </summary>
/// <param name="OneWay">Share of ρ on the one-way marginals of every code.</param>
/// <param name="Selection">Share of ρ on the exponential-mechanism draws of the tree's edges.</param>
/// <param name="Pairs">Share of ρ on the pair marginals of the tree's edges.</param>
public sealed record MstBudgetSplit(double OneWay, double Selection, double Pairs)
{
    /// <summary>A third each: <c>mst.py</c>'s split.</summary>
    public static MstBudgetSplit Thirds { get; } = new(1.0 / 3, 1.0 / 3, 1.0 / 3);

    /// <summary>Half on the one-way marginals, a quarter each on the selection and the pairs (the quick preset's departure).</summary>
    public static MstBudgetSplit OneWayHalf { get; } = new(0.5, 0.25, 0.25);

    /// <summary>Every share positive and finite, and the three summing to 1 (to 1e-9).</summary>
    public bool IsValid =>
        OneWay > 0 && Selection > 0 && Pairs > 0 && double.IsFinite(OneWay + Selection + Pairs) && Math.Abs(OneWay + Selection + Pairs - 1) <= 1e-9;

    /// <summary>"thirds", or the three shares: "ρ ½ one-way · ¼ tree · ¼ pairs" style, in fractions to three digits.</summary>
    public override string ToString() => this == Thirds
        ? "ρ in thirds"
        : string.Create(CultureInfo.InvariantCulture, $"ρ {OneWay:0.###} one-way · {Selection:0.###} tree · {Pairs:0.###} pairs");
}
