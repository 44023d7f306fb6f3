using MathNet.Numerics.Statistics;

namespace EhrSynth.Generators.Metrics.Kernels;

/// <summary>Small statistics used by the metrics. Undefined results are <see cref="double.NaN"/>, never exceptions.</summary>
internal static class Stats
{
    /// <summary>Pearson correlation; NaN when either side is constant (zero variance).</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y) =>
        IsConstant(x) || IsConstant(y) ? double.NaN : Correlation.Pearson(x, y);

    /// <summary>Spearman rank correlation (ties get average ranks); NaN when either side is constant.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y) =>
        IsConstant(x) || IsConstant(y) ? double.NaN : Correlation.Spearman(x, y);

    /// <summary>
    /// Coefficient of determination with <paramref name="truth"/> as ground truth (scikit-learn's <c>r2_score</c>):
    /// <c>1 − Σ(t − p)² / Σ(t − mean t)²</c>. Can be negative; NaN when the truth is constant.
    /// </summary>
    public static double RSquared(IReadOnlyList<double> truth, IReadOnlyList<double> prediction)
    {
        double mean = truth.Average();
        double ssRes = 0, ssTot = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            ssRes += (truth[i] - prediction[i]) * (truth[i] - prediction[i]);
            ssTot += (truth[i] - mean) * (truth[i] - mean);
        }

        return ssTot == 0 ? double.NaN : 1 - (ssRes / ssTot);
    }

    /// <summary>Two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs, in [0, 1].</summary>
    public static double KolmogorovSmirnov(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return double.NaN;
        }

        var x = a.Order().ToArray();
        var y = b.Order().ToArray();
        int i = 0, j = 0;
        double d = 0;
        while (i < x.Length && j < y.Length)
        {
            double v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] <= v)
            {
                i++;
            }

            while (j < y.Length && y[j] <= v)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs(((double)i / x.Length) - ((double)j / y.Length)));
        }

        return d;
    }

    /// <summary>Normalised histogram of non-negative integers 0..max.</summary>
    public static double[] Histogram(IReadOnlyList<int> values, int max)
    {
        var h = new double[max + 1];
        foreach (int v in values)
        {
            h[v]++;
        }

        for (int i = 0; i < h.Length; i++)
        {
            h[i] /= Math.Max(1, values.Count);
        }

        return h;
    }

    /// <summary>Total variation distance between two distributions on the same support: ½ Σ |p − q|.</summary>
    public static double TotalVariation(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        double s = 0;
        for (int i = 0; i < p.Count; i++)
        {
            s += Math.Abs(p[i] - q[i]);
        }

        return s / 2;
    }

    /// <summary>Wasserstein-1 distance between two distributions on 0..K (unit spacing): Σ |CDF_p − CDF_q|.</summary>
    public static double Wasserstein1(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        double cp = 0, cq = 0, s = 0;
        for (int i = 0; i < p.Count; i++)
        {
            cp += p[i];
            cq += q[i];
            s += Math.Abs(cp - cq);
        }

        return s;
    }

    /// <summary>F1 from counts; 0 when there is nothing to find and nothing was predicted is reported as NaN.</summary>
    public static double F1(long truePositives, long falsePositives, long falseNegatives)
    {
        long denominator = (2 * truePositives) + falsePositives + falseNegatives;
        return denominator == 0 ? double.NaN : 2.0 * truePositives / denominator;
    }

    /// <summary>Median of a list (mean of the two middle values for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var s = values.Order().ToArray();
        int m = s.Length / 2;
        return s.Length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static bool IsConstant(IReadOnlyList<double> v)
    {
        for (int i = 1; i < v.Count; i++)
        {
            if (v[i] != v[0])
            {
                return false;
            }
        }

        return true;
    }
}
