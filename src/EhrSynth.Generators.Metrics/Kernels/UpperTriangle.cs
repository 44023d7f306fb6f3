using System.Numerics;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Metrics.Kernels;

/// <summary>
/// Symmetric D × D matrices stored as their upper triangle (diagonal included), row by row, in float: a quarter of
/// the memory of a full double matrix, which matters with 20 covariance matrices of 1,071².
/// </summary>
internal static class UpperTriangle
{
    /// <summary>Packed population covariance of a dataset.</summary>
    public static float[] Covariance(EhrDataset data, int dop)
    {
        int d = data.CodeCount;
        int n = data.PatientCount;
        var counts = Cooccurrence.Counts(data, dop);
        var packed = new float[d * (d + 1) / 2];
        double inv = n == 0 ? 0 : 1.0 / n;
        int k = 0;
        for (int i = 0; i < d; i++)
        {
            double pi = counts[(i * d) + i] * inv;
            for (int j = i; j < d; j++)
            {
                packed[k++] = (float)((counts[(i * d) + j] * inv) - (pi * counts[(j * d) + j] * inv));
            }
        }

        return packed;
    }

    /// <summary>Mean |a − b| over all D² entries of the full symmetric matrices (off-diagonal entries count twice).</summary>
    public static double MeanAbsoluteError(float[] a, float[] b, int d)
    {
        double total = 0, diagonal = 0;
        int row = 0;
        for (int i = 0; i < d; i++)
        {
            int len = d - i;
            diagonal += Math.Abs(a[row] - b[row]);
            total += SumAbsDiff(a.AsSpan(row, len), b.AsSpan(row, len));
            row += len;
        }

        return ((2 * total) - diagonal) / ((double)d * d);
    }

    private static double SumAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        var acc = Vector<float>.Zero;
        int width = Vector<float>.Count;
        double sum = 0;
        for (; i <= a.Length - width; i += width)
        {
            acc += Vector.Abs(new Vector<float>(a[i..]) - new Vector<float>(b[i..]));
        }

        sum += Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum;
    }
}
