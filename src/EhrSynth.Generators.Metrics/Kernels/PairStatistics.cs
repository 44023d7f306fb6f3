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

    /// <summary>Bytes the statistics hold per distinct co-occurring pair: its key and its count.</summary>
    public const int BytesPerPair = 16;

    /// <summary>Pair occurrences gathered and sorted at a time (128 MB of keys) before they are merged into the counts.</summary>
    internal const int DefaultChunkOccurrences = 1 << 24;

    /// <summary>The most pairs (D(D − 1)/2) counted in place, 4 bytes each: 32 MB, about 4,100 codes.</summary>
    private const long DenseTriangleLimit = 1 << 23;

    /// <summary>
    /// The statistics of <paramref name="data"/>, in parallel over parts of its patients. Memory is bounded: pair
    /// occurrences are gathered in chunks, and the distinct pairs may hold at most <paramref name="maxBytes"/>
    /// (<see cref="BytesPerPair"/> each); more is refused with a message naming the pairs and the limit.
    /// </summary>
    /// <exception cref="InvalidDataException">The distinct co-occurring pairs need more than <paramref name="maxBytes"/>.</exception>
    public static PairStatistics Of(EhrDataset data, int maxDegreeOfParallelism = 1, CancellationToken cancellationToken = default, long maxBytes = 2L << 30) =>
        Of(data, maxDegreeOfParallelism, maxBytes, DefaultChunkOccurrences, cancellationToken);

    /// <summary><see cref="Of(EhrDataset, int, CancellationToken, long)"/> with the chunk size chosen (tests use tiny chunks).</summary>
    internal static PairStatistics Of(EhrDataset data, int maxDegreeOfParallelism, long maxBytes, int chunkOccurrences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.PatientCount;
        long maxPairs = maxBytes / BytesPerPair;
        // A single record's pairs are all distinct: one that alone needs more than the limit is refused before anything is allocated.
        for (int p = 0; p < n; p++)
        {
            long k = data.GetCodeCount(p);
            if (k * (k - 1) / 2 > maxPairs)
            {
                throw TooMany(data.CodeCount, k * (k - 1) / 2, maxBytes, $"patient '{data.GetPatientId(p)}' alone has {k:N0} codes, {k * (k - 1) / 2:N0} pairs");
            }
        }

        int parts = Math.Max(1, Math.Min(Math.Max(1, maxDegreeOfParallelism), (n / 4096) + 1));
        var partial = new PairStatistics[parts];
        try
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxDegreeOfParallelism), CancellationToken = cancellationToken }, part =>
            {
                int start = (int)((long)n * part / parts), end = (int)((long)n * (part + 1) / parts);
                partial[part] = OfRange(data, start, end, maxBytes, chunkOccurrences, cancellationToken);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is InvalidDataException or OperationCanceledException) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();   // the refusal itself, not a wrapper
        }

        var total = partial[0];
        for (int part = 1; part < parts; part++)
        {
            total = Merge(total, partial[part]);
            Check(data, total, maxBytes);
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

        // Count the union first, so the result is allocated once at its size (no growing lists beside the inputs).
        long size = 0;
        for (int i = 0, j = 0; i < a.Keys.Length || j < b.Keys.Length; size++)
        {
            long ka = i < a.Keys.Length ? a.Keys[i] : long.MaxValue, kb = j < b.Keys.Length ? b.Keys[j] : long.MaxValue;
            (i, j) = ka == kb ? (i + 1, j + 1) : ka < kb ? (i + 1, j) : (i, j + 1);
        }

        var keys = new long[size];
        var pairs = new long[size];
        for (int i = 0, j = 0, at = 0; at < size; at++)
        {
            long ka = i < a.Keys.Length ? a.Keys[i] : long.MaxValue, kb = j < b.Keys.Length ? b.Keys[j] : long.MaxValue;
            if (ka == kb)
            {
                (keys[at], pairs[at]) = (ka, a.Pairs[i++] + b.Pairs[j++]);
            }
            else if (ka < kb)
            {
                (keys[at], pairs[at]) = (ka, a.Pairs[i++]);
            }
            else
            {
                (keys[at], pairs[at]) = (kb, b.Pairs[j++]);
            }
        }

        return new PairStatistics(a.CodeCount, a.Patients + b.Patients, counts, keys, pairs);
    }

    /// <summary>
    /// Patients [<paramref name="start"/>, <paramref name="end"/>): their pair occurrences gathered in chunks of about
    /// <paramref name="chunkOccurrences"/> (a record with more pairs is a chunk of its own), each chunk sorted and
    /// counted, then merged into the running statistics, which may not outgrow <paramref name="maxBytes"/>.
    /// </summary>
    private static PairStatistics OfRange(EhrDataset data, int start, int end, long maxBytes, int chunkOccurrences, CancellationToken ct)
    {
        int d = data.CodeCount;
        var counts = new long[d];
        var total = new PairStatistics(d, 0, counts, [], []);
        int p = start;
        while (p < end)
        {
            ct.ThrowIfCancellationRequested();
            int chunkStart = p;
            long occurrences = 0;
            while (p < end)
            {
                long k = data.GetCodeCount(p);
                long pairs = k * (k - 1) / 2;
                if (p > chunkStart && occurrences + pairs > chunkOccurrences)
                {
                    break;
                }

                occurrences += pairs;
                p++;
            }

            var chunk = OfChunk(data, chunkStart, p, occurrences);
            total = Merge(total, chunk);
            Check(data, total, maxBytes);
        }

        return total;
    }

    /// <summary>
    /// One chunk's statistics. Few codes (the triangle of pairs fits in 32 MB and is not much larger than the chunk's
    /// occurrences, as at MIMIC's 1,071 codes): counted in place over the triangle, then read out in key order. Many
    /// codes: the occurrences' keys sorted and run-length counted. Both give the pairs in ascending key order.
    /// </summary>
    private static PairStatistics OfChunk(EhrDataset data, int start, int end, long occurrences)
    {
        int d = data.CodeCount;
        if (occurrences > Array.MaxLength)
        {
            throw TooMany(data.CodeCount, occurrences, long.MaxValue, $"patients {start:N0}–{end - 1:N0} hold {occurrences:N0} pairs, more than one array holds");
        }

        var counts = new long[d];
        long triangle = (long)d * (d - 1) / 2;
        if (triangle <= DenseTriangleLimit && triangle <= 4 * occurrences)
        {
            var cells = new int[triangle];                                      // pair (a < b) at a·(2D − a − 1)/2 + b − a − 1: key order
            long distinctDense = 0;
            for (int p = start; p < end; p++)
            {
                var codes = data.GetCodes(p);                                   // ascending
                for (int a = 0; a < codes.Length; a++)
                {
                    counts[codes[a]]++;
                    long row = ((long)codes[a] * ((2L * d) - codes[a] - 1) / 2) - codes[a] - 1;
                    for (int b = a + 1; b < codes.Length; b++)
                    {
                        distinctDense += cells[row + codes[b]]++ == 0 ? 1 : 0;
                    }
                }
            }

            var denseKeys = new long[distinctDense];
            var densePairs = new long[distinctDense];
            long cell = 0, at = 0;
            for (int a = 0; a < d - 1; a++)
            {
                for (int b = a + 1; b < d; b++, cell++)
                {
                    if (cells[cell] != 0)
                    {
                        (denseKeys[at], densePairs[at]) = (((long)a * d) + b, cells[cell]);
                        at++;
                    }
                }
            }

            return new PairStatistics(d, end - start, counts, denseKeys, densePairs);
        }

        var all = new long[occurrences];                                        // at most one chunk, or one record's pairs (checked against the limit)
        int next = 0;
        for (int p = start; p < end; p++)
        {
            var codes = data.GetCodes(p);                                       // ascending
            for (int a = 0; a < codes.Length; a++)
            {
                counts[codes[a]]++;
                long row = (long)codes[a] * d;
                for (int b = a + 1; b < codes.Length; b++)
                {
                    all[next++] = row + codes[b];
                }
            }
        }

        Array.Sort(all);
        int distinct = 0;
        for (int i = 0; i < all.Length; i++)
        {
            distinct += i == 0 || all[i] != all[i - 1] ? 1 : 0;
        }

        var keys = new long[distinct];
        var pairs = new long[distinct];
        for (int i = 0, k = -1; i < all.Length; i++)
        {
            if (i == 0 || all[i] != all[i - 1])
            {
                keys[++k] = all[i];
            }

            pairs[k]++;
        }

        return new PairStatistics(d, end - start, counts, keys, pairs);
    }

    private static void Check(EhrDataset data, PairStatistics statistics, long maxBytes)
    {
        if ((long)statistics.Keys.Length * BytesPerPair > maxBytes)
        {
            throw TooMany(data.CodeCount, statistics.Keys.Length, maxBytes, $"{statistics.Patients:N0} of its {data.PatientCount:N0} patients already have {statistics.Keys.Length:N0} distinct pairs");
        }
    }

    /// <summary>Refuses merged statistics (of parts) that outgrew <paramref name="maxBytes"/>.</summary>
    /// <exception cref="InvalidDataException">They did.</exception>
    internal static PairStatistics Within(PairStatistics statistics, long maxBytes) =>
        (long)statistics.Keys.Length * BytesPerPair > maxBytes
            ? throw TooMany(statistics.CodeCount, statistics.Keys.Length, maxBytes, $"{statistics.Patients:N0} patients merged from parts have {statistics.Keys.Length:N0} distinct pairs")
            : statistics;

    private static InvalidDataException TooMany(int codes, long pairs, long maxBytes, string what) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"The code pairs of data over {codes:N0} codes need more memory than the {Size(maxBytes)} limit for pair statistics (EvaluationContext.MaxMatrixBytes): {what}, about {Size(pairs * (double)BytesPerPair)}. Evaluate fewer codes (for example the most frequent ones), split long records, or choose metrics without code pairs."));

    private static string Size(double bytes) =>
        bytes >= 1e9 ? FormattableString.Invariant($"{bytes / 1e9:F1} GB") : bytes >= 1e6 ? FormattableString.Invariant($"{bytes / 1e6:F1} MB") : FormattableString.Invariant($"{bytes:N0} bytes");
}
