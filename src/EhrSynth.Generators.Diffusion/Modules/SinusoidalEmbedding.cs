using EhrSynth.Generators.Torch;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Diffusion.Modules;

/// <summary>
/// Transformer-style sinusoidal features of a scalar per sample: <c>[sin(t·f_k), cos(t·f_k)]</c> with
/// <c>f_k = 10000^(−k / (half − 1))</c>, as EHRDiff's <c>SinusoidalPositionEmbeddings</c>. The width must be even; here it
/// is an option independent of the number of codes, so an odd D such as 1,071 cannot break it (EHRDiff issue #2).
/// </summary>
internal static class SinusoidalEmbedding
{
    /// <summary>Features of <paramref name="t"/> <c>[B]</c>, shape <c>[B, dim]</c>.</summary>
    public static Tensor Embed(Tensor t, int dim)
    {
        if (dim < 2 || dim % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, "The sinusoidal embedding width must be even and at least 2.");
        }

        int half = dim / 2;
        double scale = Math.Log(10_000) / Math.Max(1, half - 1);
        var frequencies = exp(RootedScalars.Range(0, half, ScalarType.Float32, t.device).Times(-scale));   // [half]
        var angles = t.to_type(ScalarType.Float32).unsqueeze(1) * frequencies.unsqueeze(0);          // [B, half]
        return cat([angles.sin(), angles.cos()], dim: 1);                                             // [B, dim]
    }
}
