using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Metrics.Kernels;

/// <summary>
/// Code co-occurrence counts of binary data: <c>n[i, j]</c> = patients having both codes i and j, with
/// <c>n[i, i]</c> = patients having code i. Two exact kernels, chosen by estimated cost:
/// <list type="bullet">
/// <item>pair enumeration over each patient's sorted codes, <c>O(Σ k²)</c>: fast for sparse data;</item>
/// <item><c>PopCount(a &amp; b)</c> over bit-packed code columns, <c>O(D² · N / 64)</c>: bounded for dense output.</item>
/// </list>
/// Both run in parallel and return the same counts.
/// </summary>
internal static class Cooccurrence
{
    /// <summary>Which kernel to use.</summary>
    public enum Kernel
    {
        Auto,
        PairEnumeration,
        PackedColumns,
    }

    /// <summary>Symmetric counts, row-major <c>D × D</c>.</summary>
    public static int[] Counts(EhrDataset data, int maxDegreeOfParallelism, Kernel kernel = Kernel.Auto)
    {
        if (kernel == Kernel.Auto)
        {
            kernel = PreferPairs(data) ? Kernel.PairEnumeration : Kernel.PackedColumns;
        }

        return kernel == Kernel.PairEnumeration
            ? CountByPairs(data, maxDegreeOfParallelism)
            : CountByColumns(data.ToPackedColumns(), maxDegreeOfParallelism);
    }

    /// <summary>
    /// Covariance matrix <c>C_ij = E[X_i X_j] − E[X_i] E[X_j]</c> (population form, as in the paper), row-major.
    /// </summary>
    public static double[] Covariance(EhrDataset data, int maxDegreeOfParallelism, Kernel kernel = Kernel.Auto)
    {
        int d = data.CodeCount;
        int n = data.PatientCount;
        var counts = Counts(data, maxDegreeOfParallelism, kernel);
        var cov = new double[d * d];
        if (n == 0)
        {
            return cov;
        }

        double inv = 1.0 / n;
        for (int i = 0; i < d; i++)
        {
            double pi = counts[(i * d) + i] * inv;
            for (int j = 0; j < d; j++)
            {
                cov[(i * d) + j] = (counts[(i * d) + j] * inv) - (pi * counts[(j * d) + j] * inv);
            }
        }

        return cov;
    }

    private static bool PreferPairs(EhrDataset data)
    {
        double pairs = 0;
        for (int p = 0; p < data.PatientCount; p++)
        {
            double k = data.GetCodeCount(p);
            pairs += k * (k + 1) / 2;
        }

        double d = data.CodeCount;
        double words = (data.PatientCount + 63) / 64;
        // A scattered increment costs roughly as much as ten AND+POPCNT word operations.
        return pairs * 10 < d * (d + 1) / 2 * words;
    }

    private static int[] CountByPairs(EhrDataset data, int dop)
    {
        int d = data.CodeCount;
        int n = data.PatientCount;
        int parts = Math.Max(1, Math.Min(dop, n / 2048 + 1));
        var partial = new int[parts][];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = dop }, part =>
        {
            var counts = new int[d * d];
            int start = (int)((long)n * part / parts), end = (int)((long)n * (part + 1) / parts);
            for (int p = start; p < end; p++)
            {
                var codes = data.GetCodes(p);
                for (int a = 0; a < codes.Length; a++)
                {
                    int row = codes[a] * d;
                    for (int b = a; b < codes.Length; b++)
                    {
                        counts[row + codes[b]]++;
                    }
                }
            }

            partial[part] = counts;
        });

        var total = partial[0];
        for (int part = 1; part < parts; part++)
        {
            var other = partial[part];
            for (int i = 0; i < total.Length; i++)
            {
                total[i] += other[i];
            }
        }

        // Codes are sorted, so only the upper triangle was filled; mirror it.
        for (int i = 0; i < d; i++)
        {
            for (int j = i + 1; j < d; j++)
            {
                total[(j * d) + i] = total[(i * d) + j];
            }
        }

        return total;
    }

    private static int[] CountByColumns(BitMatrix columns, int dop)
    {
        int d = columns.RowCount;
        var counts = new int[d * d];
        Parallel.For(0, d, new ParallelOptions { MaxDegreeOfParallelism = dop }, i =>
        {
            var a = columns.Row(i);
            for (int j = i; j < d; j++)
            {
                int c = BitMatrix.AndCount(a, columns.Row(j));
                counts[(i * d) + j] = c;
                counts[(j * d) + i] = c;
            }
        });
        return counts;
    }
}
