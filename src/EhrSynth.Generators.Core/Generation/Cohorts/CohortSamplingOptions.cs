namespace EhrSynth.Generators.Generation;

/// <summary>Limits of cohort sampling by rejection (<see cref="CohortMethod.Rejection"/>).</summary>
public sealed record CohortSamplingOptions
{
    /// <summary>
    /// The lowest acceptance rate worth sampling at: when even an optimistic estimate of the rate (accepted + 3 over
    /// drawn) falls below it, sampling stops with <see cref="CohortUnreachableException"/> naming the rate, and the
    /// draws never exceed 2 × count ÷ this. The default value is 0.01 (1 %: at most about 200 draws per record).
    /// </summary>
    public double MinimumAcceptance { get; init; } = 0.01;

    /// <summary>The most records drawn in one call of the unconditional sampler. The default value is 100,000.</summary>
    public int MaxBatch { get; init; } = 100_000;

    /// <summary>The defaults.</summary>
    public static CohortSamplingOptions Default { get; } = new();

    /// <summary>Every problem with the values, or none.</summary>
    public IEnumerable<string> Problems()
    {
        if (!(MinimumAcceptance > 0 && MinimumAcceptance <= 1))
        {
            yield return $"MinimumAcceptance must be in (0, 1] (got {MinimumAcceptance}).";
        }

        if (MaxBatch < 1)
        {
            yield return $"MaxBatch must be at least 1 (got {MaxBatch}).";
        }
    }
}
