using System.Numerics;

namespace EhrSynth.Generators.Metrics.Kernels;

/// <summary>Element-wise distances between equally sized matrices stored as flat arrays.</summary>
internal static class MatrixDistance
{
    /// <summary>Mean absolute difference, <c>mean |a − b|</c>, vectorised.</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length || a.Length == 0)
        {
            throw new ArgumentException("The matrices must have the same, non-zero size.");
        }

        int i = 0;
        var acc = Vector<double>.Zero;
        int width = Vector<double>.Count;
        for (; i <= a.Length - width; i += width)
        {
            acc += Vector.Abs(new Vector<double>(a[i..]) - new Vector<double>(b[i..]));
        }

        double sum = Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum / a.Length;
    }

    /// <summary>Mean absolute value, <c>mean |a|</c>.</summary>
    public static double MeanAbsolute(ReadOnlySpan<double> a)
    {
        double sum = 0;
        foreach (double v in a)
        {
            sum += Math.Abs(v);
        }

        return a.Length == 0 ? 0 : sum / a.Length;
    }
}
