using EhrSynth.Generators.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// One DP-SGD step (Abadi et al. 2016). The batch is Poisson-sampled: each of the N training patients joins it
/// independently with probability q. Each member's gradient is computed on its own (a microbatch of one patient: exact
/// for every architecture without cross-example layers such as BatchNorm, at the price of one forward and backward pass
/// per patient), scaled to norm at most C, and summed; N(0, σ²C²) noise is added to every coordinate of the sum; the
/// result divided by the expected batch size q·N becomes the parameters' gradient, and the family's optimizer update
/// runs. One patient can therefore move the update by at most C/(q·N) in norm, whatever its record.
/// </summary>
internal static class DpSgd
{
    /// <summary>
    /// Runs one step; returns the mean loss over the sampled patients (NaN for an empty batch), the batch size, and whether
    /// ghost clipping computed the clipped sum (otherwise microbatches of one did).
    /// </summary>
    public static (double MeanLoss, int BatchSize, bool Ghost) Step(PrivateObjective objective, StepContext context, double sampleRate, double noiseMultiplier, double clipNorm)
    {
        var (data, rng, device) = (context.Data, context.Rng, context.Device);
        var parameters = objective.Parameters;
        int[] batch = PoissonBatch(data.PatientCount, sampleRate, rng, device);
        bool ghost = GhostClipping.TryClippedGradientSum(objective, data, batch, clipNorm, rng, out var sums, out double lossSum);
        if (!ghost)
        {
            (sums, lossSum) = ClippedGradientSum(objective, data, batch, clipNorm, rng);            // Σ clipped gradients, per parameter
        }

        double expectedBatch = sampleRate * data.PatientCount;
        ZeroGradients(parameters);
        using (var noGrad = no_grad())
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                using var scope = NewDisposeScope();
                var noise = randn(parameters[i].shape, dtype: parameters[i].dtype, device: device, generator: rng);   // N(0, 1)
                var noisy = sums[i].Plus(noise.Times(noiseMultiplier * clipNorm)).Over(expectedBatch);                 // (Σ + σC·z) / qN
                SetGradient(parameters[i], noisy);
                sums[i].Dispose();
            }
        }

        objective.Update(context);
        return (batch.Length == 0 ? double.NaN : lossSum / batch.Length, batch.Length, ghost);
    }

    /// <summary>Σ over <paramref name="batch"/> of each patient's gradient scaled to norm ≤ <paramref name="clipNorm"/>, per parameter, and the summed loss.</summary>
    internal static (Tensor[] Sums, double LossSum) ClippedGradientSum(PrivateObjective objective, EhrDataset data, int[] batch, double clipNorm, Generator rng)
    {
        var parameters = objective.Parameters;
        var sums = parameters.Select(p => zeros_like(p)).ToArray();
        double lossSum = 0;
        foreach (int patient in batch)
        {
            using var scope = NewDisposeScope();
            ZeroGradients(parameters);
            var loss = objective.Loss(data, patient, rng);                                // []
            loss.backward();
            lossSum += loss.item<float>();
            var grads = parameters.Select(p => p.grad ?? zeros_like(p)).ToArray();       // one patient's gradient
            double norm = Math.Sqrt(grads.Sum(g => g.Square().sum().item<float>()));
            double scale = Math.Min(1, clipNorm / Math.Max(norm, 1e-12));
            for (int i = 0; i < grads.Length; i++)
            {
                sums[i].add_(grads[i].Times(scale), RootedScalars.One);                   // Σ g·min(1, C/‖g‖)
            }
        }

        return (sums, lossSum);
    }

    /// <summary>Each of <paramref name="patients"/> indices independently with probability <paramref name="q"/>.</summary>
    internal static int[] PoissonBatch(int patients, double q, Generator rng, Device device)
    {
        using var scope = NewDisposeScope();
        var u = rand([patients], dtype: ScalarType.Float64, device: device, generator: rng);   // [N] uniform
        using var rate = q.ToScalar();
        var picked = u.lt(rate).nonzero().flatten().cpu();                                      // [B] indices
        return picked.shape[0] == 0 ? [] : picked.data<long>().Select(i => (int)i).ToArray();   // an empty batch is a legal draw
    }

    private static void ZeroGradients(IReadOnlyList<TorchSharp.Modules.Parameter> parameters)
    {
        foreach (var p in parameters)
        {
            using var g = p.grad;
            g?.zero_();
        }
    }

    /// <summary>Stores <paramref name="value"/> as the gradient of <paramref name="p"/> (creating it when absent).</summary>
    private static void SetGradient(TorchSharp.Modules.Parameter p, Tensor value)
    {
        using var g = p.grad;
        if (g is not null)
        {
            g.copy_(value);
            return;
        }

        using var enable = enable_grad();
        using var probe = p.mul(value.detach()).sum();                                    // ∂/∂p Σ p·v = v
        probe.backward();
    }
}
