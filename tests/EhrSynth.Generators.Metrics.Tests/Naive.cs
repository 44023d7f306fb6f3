using EhrSynth.Generators.Data;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Metrics.Tests;

/// <summary>Independent, slow float64 reference implementations.</summary>
internal static class Naive
{
    public static double[,] Covariance(EhrDataset data)
    {
        var x = Fixtures.Dense(data);
        int n = data.PatientCount, d = data.CodeCount;
        var mean = new double[d];
        for (int c = 0; c < d; c++)
        {
            for (int p = 0; p < n; p++)
            {
                mean[c] += x[p, c] / n;
            }
        }

        var cov = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double exy = 0;
                for (int p = 0; p < n; p++)
                {
                    exy += x[p, i] * x[p, j];
                }

                cov[i, j] = (exy / n) - (mean[i] * mean[j]);
            }
        }

        return cov;
    }

    public static double Mae(double[,] a, double[,] b)
    {
        double s = 0;
        foreach (var (i, j) in Cells(a))
        {
            s += Math.Abs(a[i, j] - b[i, j]);
        }

        return s / a.Length;
    }

    public static int Hamming(EhrDataset a, int p, EhrDataset b, int q) =>
        a.GetCodes(p).ToArray().Except(b.GetCodes(q).ToArray()).Count() + b.GetCodes(q).ToArray().Except(a.GetCodes(p).ToArray()).Count();

    private static IEnumerable<(int, int)> Cells(double[,] m)
    {
        for (int i = 0; i < m.GetLength(0); i++)
        {
            for (int j = 0; j < m.GetLength(1); j++)
            {
                yield return (i, j);
            }
        }
    }
}
