using EhrSynth.Generators.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>Starts a per-code output bias at the training log-odds, so a decoder's first outputs already have the data's marginals.</summary>
public static class LogOddsBias
{
    /// <summary>Sets <paramref name="bias"/> <c>[D]</c> to log((p + ε) / (1 − p + ε)) of each code's training prevalence p (ε = 1e-4).</summary>
    public static void Apply(Tensor bias, EhrDataset train)
    {
        var logOdds = train.CodePrevalence().Select(p => (float)Math.Log((p + 1e-4) / (1 - p + 1e-4))).ToArray();
        using var noGrad = no_grad();
        using var values = tensor(logOdds, device: bias.device);   // [D]
        bias.copy_(values);
    }

    /// <summary>Sets every entry of <paramref name="bias"/> to log(p / (1 − p)) of one prevalence <paramref name="p"/> that is not read from any data.</summary>
    public static void ApplyUniform(Tensor bias, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(p, 1);
        using var noGrad = no_grad();
        using var value = Math.Log(p / (1 - p)).ToScalar();
        bias.fill_(value);
    }
}
