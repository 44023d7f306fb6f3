namespace EhrSynth.Generators.Generation;

/// <summary>How a cohort was drawn (<see cref="GenerationReport.Cohort"/>).</summary>
/// <param name="Condition">The condition, as written (<see cref="CohortCondition.ToString"/>).</param>
/// <param name="Method">How it was drawn.</param>
/// <param name="Drawn">Records the model sampled to get them (for rejection: every record drawn; otherwise the records returned, and any redrawn).</param>
/// <param name="Accepted">Drawn records that satisfied the condition (for rejection: possibly more than returned, from the last batch).</param>
public sealed record CohortReport(string Condition, CohortMethod Method, long Drawn, long Accepted)
{
    /// <summary>
    /// The share of the model's records that belong to the cohort, when the method computes it exactly (the evidence's
    /// probability under a tree model); <see langword="null"/> otherwise (rejection estimates it as the acceptance rate).
    /// </summary>
    public double? ModelShare { get; init; }

    /// <summary>
    /// For importance resampling: the effective number of independent draws behind the records, (Σw)²/Σw² over the
    /// drawn records' weights; <see langword="null"/> for the other methods. Far below the records returned, the cohort
    /// repeats a few heavy draws.
    /// </summary>
    public double? EffectiveDraws { get; init; }

    /// <summary>Accepted ÷ drawn (1 for the methods that never reject).</summary>
    public double AcceptanceRate => Drawn == 0 ? 0 : (double)Accepted / Drawn;
}
