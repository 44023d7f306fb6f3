namespace EhrSynth.Generators.Families;

/// <summary>The guarantee a private row is asked for, and the mechanism settings a caller may override.</summary>
/// <param name="Epsilon">The target ε.</param>
/// <param name="Delta">δ.</param>
public sealed record PrivacyTarget(double Epsilon, double Delta)
{
    /// <summary>DP-SGD: the per-patient gradient norm bound C; <see langword="null"/> for the mechanism's default.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>DP-SGD: the expected Poisson batch; <see langword="null"/> for the family's batch.</summary>
    public int? ExpectedBatchSize { get; init; }
}
