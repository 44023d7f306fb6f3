using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// Per-code thresholds matched to the training prevalences (<see cref="CodeCalibrationMethod.QuantileCuts"/>): for
/// each code the cut t_j above which exactly round(p_j · M) of M calibration samples lie, so that thresholding a fresh
/// sample at t_j keeps each code's prevalence while the sampler's joint structure decides which records get it.
/// </summary>
internal static class CodeThresholds
{
    /// <summary>A cut no sample reaches: codes without a single training patient.</summary>
    public const float Never = float.MaxValue;

    /// <summary>
    /// The cuts for <paramref name="values"/> <c>[M, D]</c> (raw sampler output) and the training
    /// <paramref name="prevalence"/> of each of the D codes. A code with p_j &gt; 0 keeps at least one calibration sample.
    /// </summary>
    public static float[] Fit(Tensor values, IReadOnlyList<double> prevalence)
    {
        long m = values.shape[0];
        int d = (int)values.shape[1];
        if (prevalence.Count != d)
        {
            throw new ArgumentException($"{prevalence.Count} prevalences for {d} codes.", nameof(prevalence));
        }

        using var scope = NewDisposeScope();
        var sorted = values.sort(dim: 0, descending: true).Values.cpu();     // [M, D], each column largest first
        var v = sorted.data<float>();
        var cuts = new float[d];
        for (int j = 0; j < d; j++)
        {
            if (prevalence[j] <= 0)
            {
                cuts[j] = Never;
                continue;
            }

            long k = Math.Clamp((long)Math.Round(prevalence[j] * m), 1, m);   // samples that keep the code
            float kth = v[((k - 1) * d) + j];
            cuts[j] = k == m ? kth : (kth + v[(k * d) + j]) / 2;              // between the k-th and (k+1)-th largest
        }

        return cuts;
    }

    /// <summary>
    /// Shifts <paramref name="values"/> <c>[B, D]</c> so that thresholding at <paramref name="threshold"/> is
    /// thresholding code j at <paramref name="cuts"/><c>[j]</c>: v − t_j + threshold.
    /// </summary>
    public static Tensor Apply(Tensor values, Tensor cuts, double threshold) =>
        values.Minus(cuts).Plus(threshold);                                   // [B, D] − [D] → [B, D]
}
