using EhrSynth.Generators.Torch;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan;

/// <summary>
/// Bernoulli samples of generated probabilities for the discriminator (<see cref="GanOptions.SampledFakes"/>). In the
/// generator's update the samples carry a straight-through gradient (Bengio et al. 2013): the forward value is the 0/1
/// sample, the backward pass treats it as the probability itself.
/// </summary>
internal static class StraightThroughBernoulli
{
    /// <summary>0/1 samples of <paramref name="probabilities"/> [B, D], without gradient (the discriminator's update).</summary>
    public static Tensor Sample(Tensor probabilities, Generator rng)
    {
        using var noGrad = no_grad();
        return bernoulli(probabilities, generator: rng);                                            // [B, D] 0/1
    }

    /// <summary>0/1 samples of <paramref name="probabilities"/> [B, D] whose gradient flows to the probabilities (the generator's update).</summary>
    public static Tensor SampleWithGradient(Tensor probabilities, Generator rng)
    {
        var sampled = Sample(probabilities, rng);                                                   // [B, D] 0/1
        return probabilities.Plus(sampled.Minus(probabilities.detach()));                          // [B, D] value 0/1 (to rounding), gradient 1 to p
    }
}
