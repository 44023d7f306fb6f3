using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// Per-code logit offsets that give a model's sampled records the training prevalences: for each code j the δ_j with
/// mean over samples of σ(ℓ_ij + δ_j) = p_j, solved on calibration logits ℓ <c>[M, D]</c> by Newton's method kept inside a
/// bisection bracket (the mean is increasing in δ_j, so the root is unique; a Newton step that leaves the bracket is
/// replaced by its midpoint, so it cannot diverge, and it converges in a handful of passes). Adding δ_j moves
/// every record's probability of code j the same way in log-odds, so the records that were likelier to have it stay
/// likelier: the marginals become the data's and the co-occurrence the model learned is kept.
/// </summary>
internal static class PrevalenceCalibration
{
    /// <summary>The offset of a code no training patient has: its probability becomes 0.</summary>
    public const float Never = -10_000f;

    private const double Bound = 30;
    private const int MaxIterations = 60;
    private const double Tolerance = 1e-6;
    private static readonly Scalar ToleranceScalar = Tolerance.ToScalar();   // rooted for the process: no per-call Scalar

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
        var p = prevalence.Select(v => Math.Clamp(v, 1e-7, 1 - 1e-7)).ToArray();
        var target = tensor(p.Select(v => (float)v).ToArray(), device: logits.device);             // [D]
        var solved = tensor(prevalence.Select(v => v <= 0 || v >= 1).ToArray(), device: logits.device); // [D]: nothing to solve
        var low = RootedScalars.Filled([d], -Bound, logits.device);                                // [D]
        var high = RootedScalars.Filled([d], Bound, logits.device);                                // [D]
        var start = p.Select(v => Math.Log(v / (1 - v))).ToArray();
        var delta = tensor(start.Select(v => (float)v).ToArray(), device: logits.device)
            .Minus(logits.mean([0])).ClampTo(-Bound, Bound);                                        // [D]: exact when ℓ is constant
        for (int i = 0; i < MaxIterations; i++)
        {
            var s = logits.Plus(delta).sigmoid();                                                  // [M, D]
            var excess = s.mean([0]).Minus(target);                                                // [D]: f(δ)
            var slope = s.mul(s.SubtractedFrom(1)).mean([0]);                                        // [D]: f′(δ) = mean σ(1 − σ)
            var tooMany = excess.gt(RootedScalars.Zero);                                                            // [D]: the root is below δ
            high = where(tooMany, delta, high);                                                    // [D]
            low = where(tooMany, low, delta);                                                      // [D]
            var converged = excess.abs().lt(ToleranceScalar).logical_or(high.Minus(low).lt(ToleranceScalar)).logical_or(solved); // [D]
            if (converged.all().item<bool>())
            {
                break;
            }

            var newton = delta.Minus(excess.div(slope.ClampTo(1e-12, 1)));                          // [D]
            var inside = newton.gt(low).logical_and(newton.lt(high));                              // [D]
            delta = where(inside, newton, low.Plus(high).Over(2));                                 // [D]
        }

        var offsets = delta.cpu().data<float>().ToArray();
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
