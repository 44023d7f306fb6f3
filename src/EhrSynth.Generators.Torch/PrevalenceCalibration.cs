using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// Per-code logit offsets that give a model's sampled records the training prevalences: for each code j the δ_j with
/// mean over samples of σ(ℓ_ij + δ_j) = p_j, found by bisection on calibration logits ℓ <c>[M, D]</c>. Adding δ_j moves
/// every record's probability of code j the same way in log-odds, so the records that were likelier to have it stay
/// likelier: the marginals become the data's and the co-occurrence the model learned is kept.
/// </summary>
public static class PrevalenceCalibration
{
    /// <summary>The offset of a code no training patient has: its probability becomes 0.</summary>
    public const float Never = -10_000f;

    private const double Bound = 30;
    private const int Iterations = 50;

    /// <summary>Log-odds of probabilities <c>[B, D]</c>, kept finite (probabilities are clipped to [1e-7, 1 − 1e-7]).</summary>
    public static Tensor Logits(Tensor probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        var p = probabilities.ClampTo(1e-7, 1 - 1e-7);                          // [B, D]
        return p.log().Minus(p.neg().log1p());                                  // [B, D]: ln p − ln(1 − p)
    }

    /// <summary>The offsets for calibration <paramref name="logits"/> <c>[M, D]</c> and each code's training <paramref name="prevalence"/>.</summary>
    public static float[] FitOffsets(Tensor logits, IReadOnlyList<double> prevalence)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(prevalence);
        int d = (int)logits.shape[1];
        if (prevalence.Count != d)
        {
            throw new ArgumentException($"{prevalence.Count} prevalences for {d} codes.", nameof(prevalence));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var target = tensor(prevalence.Select(p => (float)p).ToArray(), device: logits.device);   // [D]
        var low = RootedScalars.Filled([d], -Bound, logits.device);                                // [D]
        var high = RootedScalars.Filled([d], Bound, logits.device);                                // [D]
        for (int i = 0; i < Iterations; i++)
        {
            var mid = low.Plus(high).Over(2);                                                      // [D]
            var mean = logits.Plus(mid).sigmoid().mean([0]);                                       // [M, D] → [D]
            var tooMany = mean.gt(target);                                                         // [D]: lower δ
            high = where(tooMany, mid, high);                                                      // [D]
            low = where(tooMany, low, mid);                                                        // [D]
        }

        var offsets = low.Plus(high).Over(2).cpu().data<float>().ToArray();
        for (int j = 0; j < d; j++)
        {
            if (prevalence[j] <= 0)
            {
                offsets[j] = Never;
            }
        }

        return offsets;
    }

    /// <summary>Probabilities <c>[B, D]</c> with each code's log-odds moved by <paramref name="offsets"/> <c>[D]</c>.</summary>
    public static Tensor Apply(Tensor probabilities, Tensor offsets) =>
        Logits(probabilities).Plus(offsets).sigmoid();                          // [B, D]
}
