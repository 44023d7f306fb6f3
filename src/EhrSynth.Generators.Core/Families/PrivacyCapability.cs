using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Families;

/// <summary>
/// A family's declaration that it can be fitted with differential privacy, and how: hosts (the command line's
/// <c>--dp-epsilon</c>, the privacy sweep) read it instead of recognising families by name or options type. Built-in:
/// DP-SGD (VAE, EHRDiff, DDPM, the LLM) and the marginal mechanism MST; an outside family declares its own.
/// </summary>
public sealed class PrivacyCapability
{
    /// <summary>What guarantees it, in a few words (for example <c>DP-SGD</c> or <c>MST, ρ-zCDP</c>).</summary>
    public required string Mechanism { get; init; }

    /// <summary>
    /// Makes options private at a target (the options' own data-dependent steps outside the mechanism turned off);
    /// the generator then reports its guarantee through <see cref="Privacy.IDifferentiallyPrivate"/>.
    /// </summary>
    public required Action<EhrGeneratorOptions, PrivacyTarget> Apply { get; init; }

    /// <summary>The settings text of a private row (for example "DP-SGD to ε = 3 at δ = 1e-5, C = 1 (…)").</summary>
    public required Func<EhrGeneratorOptions, string> Describe { get; init; }

    /// <summary>
    /// Whether every preset is already private (a marginal mechanism, whose non-private form is a different estimator),
    /// so its data must always be on a public vocabulary. The default value is <see langword="false"/>: the presets
    /// are ordinary fits and <see cref="Apply"/> makes them private.
    /// </summary>
    public bool PrivateByDefault { get; init; }

    /// <summary>
    /// For a family private by default: makes options the same estimator without noise (the row a privacy sweep shows
    /// as the family's non-private value); <see langword="null"/> otherwise.
    /// </summary>
    public Action<EhrGeneratorOptions>? WithoutNoise { get; init; }
}
