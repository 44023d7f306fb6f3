using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Metrics.Kernels;

/// <summary>
/// What the pair metrics need of a binary dataset, in memory proportional to the pairs that occur rather than D²: the
/// patient count, each code's count, and the count of every pair of distinct codes that occurs together (i &lt; j,
/// sorted by i·D + j). Statistics of parts of a dataset merge into the statistics of the whole (<see cref="Merge"/>), so
/// data in many files is summarised without loading it whole.
/// </summary>
internal sealed class PairStatistics
{
    private PairStatistics(int codes, long patients, long[] counts, long[] keys, long[] pairs) =>
        (CodeCount, Patients, Counts, Keys, Pairs) = (codes, patients, counts, keys, pairs);

    /// <summary>D.</summary>
    public int CodeCount { get; }

    /// <summary>N.</summary>
    public long Patients { get; }

    /// <summary>Patients with each code, length D.</summary>
    public long[] Counts { get; }

    /// <summary>The occurring pairs' keys i·D + j (i &lt; j), ascending.</summary>
    public long[] Keys { get; }

    /// <summary>Patients with both codes of each key.</summary>
    public long[] Pairs { get; }

    /// <summary>The statistics of <paramref name="data"/>, in parallel over parts of its patients.</summary>
    public static PairStatistics Of(EhrDataset data, int maxDegreeOfParallelism = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.PatientCount;
        int parts = Math.Max(1, Math.Min(Math.Max(1, maxDegreeOfParallelism), (n / 4096) + 1));
        var partial = new PairStatistics[parts];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxDegreeOfParallelism), CancellationToken = cancellationToken }, part =>
        {
            int start = (int)((long)n * part / parts), end = (int)((long)n * (part + 1) / parts);
            partial[part] = OfRange(data, start, end);
        });

        var total = partial[0];
        for (int part = 1; part < parts; part++)
        {
            total = Merge(total, partial[part]);
        }

        return total;
    }

    /// <summary>The statistics of the union of two disjoint sets of patients over the same codes.</summary>
    /// <exception cref="ArgumentException">The code counts differ.</exception>
    public static PairStatistics Merge(PairStatistics a, PairStatistics b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.CodeCount != b.CodeCount)
        {
            throw new ArgumentException($"Statistics over {a.CodeCount} and {b.CodeCount} codes cannot be merged.", nameof(b));
        }

        var counts = new long[a.CodeCount];
        for (int c = 0; c < counts.Length; c++)
        {
            counts[c] = a.Counts[c] + b.Counts[c];
        }

        var keys = new List<long>(Math.Max(a.Keys.Length, b.Keys.Length));
        var pairs = new List<long>(keys.Capacity);
        int i = 0, j = 0;
        while (i < a.Keys.Length || j < b.Keys.Length)
        {
            long ka = i < a.Keys.Length ? a.Keys[i] : long.MaxValue, kb = j < b.Keys.Length ? b.Keys[j] : long.MaxValue;
            if (ka == kb)
            {
                keys.Add(ka);
                pairs.Add(a.Pairs[i++] + b.Pairs[j++]);
            }
            else if (ka < kb)
            {
                keys.Add(ka);
                pairs.Add(a.Pairs[i++]);
            }
            else
            {
                keys.Add(kb);
                pairs.Add(b.Pairs[j++]);
            }
        }

        return new PairStatistics(a.CodeCount, a.Patients + b.Patients, counts, [.. keys], [.. pairs]);
    }

    private static PairStatistics OfRange(EhrDataset data, int start, int end)
    {
        int d = data.CodeCount;
        var counts = new long[d];
        long occurrences = 0;
        for (int p = start; p < end; p++)
        {
            long k = data.GetCodeCount(p);
            occurrences += k * (k - 1) / 2;
        }

        if (occurrences > Array.MaxLength)
        {
            throw new InvalidDataException($"Patients {start}–{end - 1} hold {occurrences:N0} code pairs, more than one array can count; evaluate fewer patients at a time (the statistics of parts merge).");
        }

        var all = new long[occurrences];
        int at = 0;
        for (int p = start; p < end; p++)
        {
            var codes = data.GetCodes(p);                                       // ascending
            for (int a = 0; a < codes.Length; a++)
            {
                counts[codes[a]]++;
                long row = (long)codes[a] * d;
                for (int b = a + 1; b < codes.Length; b++)
                {
                    all[at++] = row + codes[b];
                }
            }
        }

        Array.Sort(all);
        var keys = new List<long>();
        var pairs = new List<long>();
        for (int i = 0; i < all.Length;)
        {
            int run = i;
            while (run < all.Length && all[run] == all[i])
            {
                run++;
            }

            keys.Add(all[i]);
            pairs.Add(run - i);
            i = run;
        }

        return new PairStatistics(d, end - start, counts, [.. keys], [.. pairs]);
    }
}
