namespace EhrSynth.Generators.Generation;

/// <summary>
/// What one fit cost in model terms: the parameters trained and how much data the optimisation steps processed, for
/// comparing models by size and training compute (the LLM size study) rather than by wall time alone.
/// </summary>
/// <param name="Parameters">Trainable parameters of every network the fit trained (for a GAN: generator, discriminator and autoencoder).</param>
/// <param name="Processed">Items the training steps processed in this fit call, over every phase and epoch: target tokens for the LLM, patients for the other families (a resumed fit counts only what it ran).</param>
/// <param name="Unit">What <paramref name="Processed"/> counts.</param>
public sealed record TrainingCost(long Parameters, long Processed, TrainingUnit Unit)
{
    /// <summary>
    /// Training floating-point operations by the usual transformer estimate, 6 × parameters × tokens (2 for the forward
    /// pass, 4 for the backward; Kaplan et al. 2020), when <see cref="Unit"/> is tokens; <see langword="null"/> otherwise
    /// (convolutions and weight sharing make the estimate meaningless for the other families). It leaves out the
    /// attention scores (Kaplan's 6 × layers × context × width per token: about 1 % for the patient sentences of 10–40
    /// tokens) and counts a tied embedding once, as the output layer it is.
    /// </summary>
    public double? EstimatedFlops => Unit == TrainingUnit.Tokens ? 6.0 * Parameters * Processed : null;
}
