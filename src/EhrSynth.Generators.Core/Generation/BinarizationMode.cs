namespace EhrSynth.Generators.Generation;

/// <summary>How a generator that outputs per-code probabilities turns them into binary records.</summary>
public enum BinarizationMode
{
    /// <summary>
    /// Each code is present with its probability (independent Bernoulli draws). Keeps rare codes and the number of
    /// codes per record; the library's default.
    /// </summary>
    Bernoulli,

    /// <summary>
    /// A code is present when its probability is ≥ the threshold (0.5 in the VAE, CorGAN and EHRDiff reference code).
    /// Paper-faithful, but it suppresses every code whose probability stays below the threshold: on UCI Diabetes no
    /// code has a prevalence above 0.44.
    /// </summary>
    Threshold,
}
