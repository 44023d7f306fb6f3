using EhrSynth.Generators.Data;
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
}
