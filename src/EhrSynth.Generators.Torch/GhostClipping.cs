using EhrSynth.Generators.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// The sum of per-patient clipped gradients in two backward passes over the whole batch, for networks whose trained
/// parameters all sit in <c>Linear</c> layers that each see one <c>[B, in]</c> input per forward pass ("ghost clipping",
/// Goodfellow 2015; Lee and Kifer 2021). For such a layer patient i's weight gradient is the outer product gᵢaᵢᵀ of its
/// output gradient and its input, so ‖∇W‖² = ‖aᵢ‖²‖gᵢ‖² and ‖∇b‖² = ‖gᵢ‖² without materialising it:
/// <list type="number">
/// <item>forward the batch, recording every Linear layer's input a and output z (forward hooks);</item>
/// <item>g = ∂(Σᵢ lossᵢ)/∂z for every layer (one backward pass; patient i's rows of g are its own, since no layer mixes
/// patients), and each patient's gradient norm from the identity above;</item>
/// <item>backward Σᵢ wᵢ·lossᵢ with wᵢ = min(1, C/‖∇ᵢ‖) held constant: the parameters' gradients are then exactly
/// Σᵢ clip(∇ᵢ).</item>
/// </list>
/// Returns <see langword="false"/> (and the caller falls back to microbatches of one) when the network has another
/// trained parameter, a layer runs twice, or an input is not <c>[B, in]</c>.
/// </summary>
internal static class GhostClipping
{
    public static bool TryClippedGradientSum(PrivateObjective objective, EhrDataset data, int[] batch, double clipNorm, Generator rng, out Tensor[] sums, out double lossSum)
    {
        (sums, lossSum) = ([], 0);
        if (batch.Length > 0 && objective.GhostNorms is { } family && family(data, batch, rng) is { } parts)
        {
            ZeroGradients(objective);
            using var part = parts.GetEnumerator();
            while (true)
            {
                using var scope = NewDisposeScope();                                                    // one part's graph at a time
                if (!part.MoveNext())
                {
                    break;
                }

                lossSum += WeightedBackward(part.Current.Losses, part.Current.SquaredNorms, clipNorm);   // gradients accumulate over parts
            }

            sums = Gradients(objective);
            return true;
        }

        if (objective.PatientLosses is not { } losses || objective.Networks is not { } networks || batch.Length == 0)
        {
            return false;
        }

        var linears = networks.SelectMany(n => n.modules().Prepend(n)).OfType<Linear>().Distinct().ToList();
        var covered = linears.SelectMany(l => l.parameters()).Select(p => p.Handle).ToHashSet();
        if (!objective.Parameters.All(p => covered.Contains(p.Handle)))
        {
            return false;
        }

        var calls = new List<(Linear Layer, Tensor Input, Tensor Output)>();
        var hooks = linears.Select(l => l.register_forward_hook((m, input, output) =>
        {
            calls.Add(((Linear)m, input, output));
            return output;
        })).ToList();
        Tensor perPatient;                                                                          // [B]
        try
        {
            perPatient = losses(data, batch, rng);
        }
        finally
        {
            hooks.ForEach(h => h.remove());
        }

        if (calls.Select(c => c.Layer).Distinct().Count() != calls.Count || calls.Any(c => c.Input.dim() != 2 || c.Output.dim() != 2))
        {
            return false;
        }

        var outputGrads = torch.autograd.grad([perPatient.sum()], [.. calls.Select(c => c.Output)], retain_graph: true);   // [B, out] each
        var squaredNorms = zeros([batch.Length], dtype: ScalarType.Float64, device: perPatient.device);                  // [B]
        using (var noGrad = no_grad())
        {
            for (int k = 0; k < calls.Count; k++)
            {
                var g2 = outputGrads[k].Square().sum(1).to(ScalarType.Float64);                                          // [B] ‖gᵢ‖²
                var a2 = calls[k].Input.Square().sum(1).to(ScalarType.Float64);                                          // [B] ‖aᵢ‖²
                squaredNorms.add_(g2.mul(a2), RootedScalars.One);                                                          // weight
                if (calls[k].Layer.bias is not null)
                {
                    squaredNorms.add_(g2, RootedScalars.One);                                                              // bias
                }
            }
        }

        ZeroGradients(objective);
        lossSum = WeightedBackward(perPatient, squaredNorms, clipNorm);
        sums = Gradients(objective);
        return true;
    }

    /// <summary>
    /// Backward of Σᵢ wᵢ·lossᵢ with wᵢ = min(1, C/‖∇ᵢ‖) held constant: adds Σᵢ clip(∇ᵢ) to the parameters' gradients.
    /// Returns Σᵢ lossᵢ.
    /// </summary>
    private static double WeightedBackward(Tensor perPatient, Tensor squaredNorms, double clipNorm)
    {
        using var clip = clipNorm.ToScalar();
        using var tiny = 1e-12.ToScalar();
        var weights = squaredNorms.sqrt().clamp_min(tiny).reciprocal().mul(clip).clamp_max(RootedScalars.One).to(perPatient.dtype).detach();   // [B] min(1, C/‖∇ᵢ‖)
        perPatient.mul(weights).sum().backward();                                                   // ∇ += Σᵢ wᵢ∇ᵢ
        return perPatient.sum().item<float>();
    }

    private static void ZeroGradients(PrivateObjective objective)
    {
        foreach (var p in objective.Parameters)
        {
            using var g = p.grad;
            g?.zero_();
        }
    }

    private static Tensor[] Gradients(PrivateObjective objective) => [.. objective.Parameters.Select(p => p.grad is { } g ? g.clone() : zeros_like(p))];
}
