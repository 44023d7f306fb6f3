namespace EhrSynth.Generators.Metrics.Suite;

/// <summary>What a row of a comparison is.</summary>
public enum RowKind
{
    /// <summary>The floor: independent per-code samples at training prevalence.</summary>
    Floor,

    /// <summary>A generator's output.</summary>
    Model,

    /// <summary>
    /// The pairwise reference: a Chow–Liu tree fitted without noise (<see cref="Baselines.PairwiseTreeReference"/>) — a
    /// model that does not beat it has learned no more than pairs of codes.
    /// </summary>
    Reference,

    /// <summary>The ceiling: real training patients (as many as the holdout) judged against the holdout.</summary>
    Ceiling,
}
