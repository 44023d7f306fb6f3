using System.Numerics;

namespace EhrSynth.Generators.Metrics.Kernels;

/// <summary>
/// Sums over every entry of D × D population covariance matrices, C_ij = q_ij − p_i p_j (q the share of patients with
/// both codes, p with one; C_ii = p_i − p_i²), computed from <see cref="PairStatistics"/> without forming a matrix. A
/// pair that never occurs has q = 0, so its entry is −p_i p_j: the sums run densely over p (O(D²) time, O(D) memory,
/// vectorised, in parallel blocks of rows) and are corrected on the pairs that occur.
/// </summary>
internal static class SparseCovariance
{
    /// <summary>Σ over all D² entries of |C|.</summary>
    public static double SumAbsolute(PairStatistics s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Patients == 0)
        {
            return 0;
        }

        var p = Shares(s);
        double diagonal = 0, sum = 0, squares = 0;
        foreach (double x in p)
        {
            diagonal += x - (x * x);
            sum += x;
            squares += x * x;
        }

        // Off the diagonal: Σ_{i<j} p_i p_j in closed form, then each occurring pair's |q − p_i p_j| in place of p_i p_j.
        double upper = ((sum * sum) - squares) / 2;
        int d = s.CodeCount;
        double inv = 1.0 / s.Patients;
        for (int k = 0; k < s.Keys.Length; k++)
        {
            int i = (int)(s.Keys[k] / d), j = (int)(s.Keys[k] % d);
            double product = p[i] * p[j];
            upper += Math.Abs((s.Pairs[k] * inv) - product) - product;
        }

        return diagonal + (2 * upper);
    }

    /// <summary>Σ over all D² entries of |C_a − C_b|, exactly.</summary>
    /// <exception cref="ArgumentException">The statistics are over different numbers of codes.</exception>
    public static double SumAbsoluteDifference(PairStatistics a, PairStatistics b, int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.CodeCount != b.CodeCount)
        {
            throw new ArgumentException($"Covariances over {a.CodeCount} and {b.CodeCount} codes cannot be compared.", nameof(b));
        }

        int d = a.CodeCount;
        var u = Shares(a);
        var v = Shares(b);
        double diagonal = 0;
        for (int c = 0; c < d; c++)
        {
            diagonal += Math.Abs(u[c] - (u[c] * u[c]) - (v[c] - (v[c] * v[c])));
        }

        // The codes present on either side: a pair with a code absent from both has C = 0 on both sides.
        var active = Enumerable.Range(0, d).Where(c => u[c] > 0 || v[c] > 0).ToArray();
        double[] ua = [.. active.Select(c => u[c])], va = [.. active.Select(c => v[c])];
        double upper = DenseUpper(ua, va, maxDegreeOfParallelism);

        // Pairs that occur on either side: their entry is q − p_i p_j, not −p_i p_j.
        double qa = a.Patients == 0 ? 0 : 1.0 / a.Patients, qb = b.Patients == 0 ? 0 : 1.0 / b.Patients;
        int x = 0, y = 0;
        while (x < a.Keys.Length || y < b.Keys.Length)
        {
            long ka = x < a.Keys.Length ? a.Keys[x] : long.MaxValue, kb = y < b.Keys.Length ? b.Keys[y] : long.MaxValue;
            long key = Math.Min(ka, kb);
            double na = ka == key ? a.Pairs[x++] * qa : 0, nb = kb == key ? b.Pairs[y++] * qb : 0;
            int i = (int)(key / d), j = (int)(key % d);
            double pa = u[i] * u[j], pb = v[i] * v[j];
            upper += Math.Abs(na - pa - (nb - pb)) - Math.Abs(pb - pa);
        }

        return diagonal + (2 * upper);
    }

    /// <summary>Σ_{i&lt;j} |u_i u_j − v_i v_j|, rows in parallel blocks, summed in row order (deterministic for any parallelism).</summary>
    private static double DenseUpper(double[] u, double[] v, int dop)
    {
        int n = u.Length;
        var rows = new double[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, dop) }, i =>
        {
            var ui = new Vector<double>(u[i]);
            var vi = new Vector<double>(v[i]);
            var acc = Vector<double>.Zero;
            int width = Vector<double>.Count;
            int j = i + 1;
            var uSpan = u.AsSpan();
            var vSpan = v.AsSpan();
            for (; j <= n - width; j += width)
            {
                acc += Vector.Abs((ui * new Vector<double>(uSpan[j..])) - (vi * new Vector<double>(vSpan[j..])));
            }

            double sum = Vector.Sum(acc);
            for (; j < n; j++)
            {
                sum += Math.Abs((u[i] * u[j]) - (v[i] * v[j]));
            }

            rows[i] = sum;
        });

        double total = 0;
        foreach (double r in rows)
        {
            total += r;
        }

        return total;
    }

    private static double[] Shares(PairStatistics s)
    {
        double inv = s.Patients == 0 ? 0 : 1.0 / s.Patients;
        return [.. s.Counts.Select(c => c * inv)];
    }
}
