namespace EhrSynth.Generators.Diffusion.Ddpm;

/// <summary>What <see cref="DdpmGenerator"/>'s network predicts from x_t and t.</summary>
public enum DdpmPrediction
{
    /// <summary>
    /// The noise ε, trained with the simple loss ‖ε − ε̂‖² (Ho et al. 2020). Near t = T the prediction is almost x_t itself,
    /// so the network must pass every code through; EHRDiff's denoiser, whose hidden layers are narrower than the number of
    /// codes and carry no skip connection, cannot (on UCI's 881 codes it emits about half of them per record).
    /// </summary>
    Noise,

    /// <summary>
    /// The clean record x₀, trained with ‖x₀ − x̂₀‖² (Ho et al. 2020, §3.2, the alternative they compare); the noise the
    /// sampler needs is derived as ε̂ = (x_t − √ᾱ_t x̂₀) / √(1 − ᾱ_t), so the pass-through lives in the formula (as EDM's
    /// c_skip does for EHRDiff) and the network only has to produce a record. A departure from Ho et al., opt-in and named.
    /// </summary>
    Data,
}
