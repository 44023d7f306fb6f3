namespace EhrSynth.Generators.Metrics.Suite;

/// <summary>Options of <see cref="MetricSuite.Compare"/>.</summary>
public sealed class ComparisonOptions
{
    /// <summary>Seed of every random choice (samples, groups, the floor's draws). The default value is 0.</summary>
    public int Seed { get; init; }

    /// <summary>Whether to add the floor row (independent marginals). The default value is <see langword="true"/>.</summary>
    public bool IncludeFloor { get; init; } = true;

    /// <summary>
    /// Whether to add the pairwise reference row (a Chow–Liu tree fitted without noise, as many records as the floor).
    /// The default value is <see langword="true"/>.
    /// </summary>
    public bool IncludePairwiseReference { get; init; } = true;

    /// <summary>Whether to add the ceiling row (real train vs holdout at equal size). The default value is <see langword="true"/>.</summary>
    public bool IncludeCeiling { get; init; } = true;

    /// <summary>Records the floor generates. The default value is <see langword="null"/>: as many as the training data.</summary>
    public int? FloorSize { get; init; }

    /// <summary>Fail, listing them, when synthetic data uses codes outside the real vocabulary. The default value is <see langword="false"/> (drop and note).</summary>
    public bool FailOnUnknownCodes { get; init; }

    /// <summary>Threads for the kernels. The default value is <see cref="Environment.ProcessorCount"/>.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>See <see cref="Evaluation.EvaluationContext.MaxMatrixBytes"/>. The default value is 2 GiB.</summary>
    public long MaxMatrixBytes { get; init; } = 2L << 30;
}
