using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch.Optimizers;

/// <summary>The bias-corrected Adam parameter update shared by <see cref="Adam"/> and <see cref="AdamW"/>, with rooted Scalars.</summary>
internal static class AdamUpdate
{
    /// <summary>θ −= η/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε), with v̂ = v, or its running maximum under AMSGrad.</summary>
    public static void Apply(Tensor param, Tensor expAvg, Tensor expAvgSq, ref Tensor? maxExpAvgSq, bool amsgrad, long step, double beta1, double beta2, double lr, Scalar eps)
    {
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        var second = expAvgSq;
        if (amsgrad)
        {
            var previous = maxExpAvgSq!;
            maxExpAvgSq = maximum(previous, expAvgSq).DetachFromDisposeScope();
            previous.Dispose();
            second = maxExpAvgSq;
        }

        using var correction = Math.Sqrt(biasCorrection2).ToScalar();
        using var stepSize = (-lr / biasCorrection1).ToScalar();
        using var denominator = second.sqrt().div_(correction).add_(eps, RootedScalars.One);   // √v / √(1 − β₂ᵗ) + ε
        param.addcdiv_(expAvg, denominator, stepSize);
    }
}
