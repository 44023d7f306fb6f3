using System.Numerics;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Metrics.Kernels;

/// <summary>
/// Exact nearest neighbours under Hamming distance (the size of the symmetric difference of two code sets),
/// <c>d(a, b) = |a| + |b| − 2 |a ∩ b|</c>, in parallel over the queries. Two exact strategies, chosen by estimated
/// cost:
/// <list type="bullet">
/// <item>an inverted index over the references (code → records): only records sharing a code with the query are
/// touched, <c>O(Σ_c n_query(c) · n_ref(c))</c> — fast for sparse data;</item>
/// <item>brute force over bit-packed rows with <c>PopCount(a ^ b)</c>, visiting references in order of
/// <c>| |a| − |b| |</c> so the search stops once that bound exceeds the best distance — bounded for dense data.</item>
/// </list>
/// Ties go to the lowest reference index, so both strategies return identical results.
/// </summary>
internal static class HammingNearestNeighbors
{
    /// <summary>Which strategy to use.</summary>
    public enum Strategy
    {
        Auto,
        InvertedIndex,
        PackedBruteForce,
    }

    /// <summary>For each query, the smallest distance to a reference and that reference's index (lowest on ties).</summary>
    /// <param name="queries">Query records.</param>
    /// <param name="references">Reference records over the same vocabulary.</param>
    /// <param name="excludeSameIndex">Leave-one-out: skip reference i for query i (both are the same data).</param>
    /// <param name="maxDegreeOfParallelism">Threads.</param>
    /// <param name="cancellationToken">Checked while searching.</param>
    /// <param name="strategy">Strategy; <see cref="Strategy.Auto"/> picks the cheaper.</param>
    public static (int[] Distance, int[] Index) Search(EhrDataset queries, EhrDataset references, bool excludeSameIndex, int maxDegreeOfParallelism, CancellationToken cancellationToken, Strategy strategy = Strategy.Auto)
    {
        if (queries.CodeCount != references.CodeCount)
        {
            throw new ArgumentException("Queries and references must share the vocabulary.");
        }

        if (references.PatientCount == 0 || (excludeSameIndex && references.PatientCount < 2))
        {
            throw new ArgumentException("There are no reference records to search.");
        }

        if (strategy == Strategy.Auto)
        {
            strategy = PreferInvertedIndex(queries, references) ? Strategy.InvertedIndex : Strategy.PackedBruteForce;
        }

        var sizes = references.CodesPerPatient();
        // References by (size, index): the order in which untouched or pruned references are visited.
        var bySize = Enumerable.Range(0, sizes.Length).OrderBy(r => sizes[r]).ThenBy(r => r).ToArray();
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        return strategy == Strategy.InvertedIndex
            ? SearchInverted(queries, references, sizes, excludeSameIndex, options)
            : SearchPacked(queries, references, sizes, bySize, excludeSameIndex, options);
    }

    private static bool PreferInvertedIndex(EhrDataset queries, EhrDataset references)
    {
        var nq = queries.CodeCounts();
        var nr = references.CodeCounts();
        double touches = 0;
        for (int c = 0; c < nq.Length; c++)
        {
            touches += (double)nq[c] * nr[c];
        }

        double pairs = queries.PatientCount * (double)references.PatientCount;
        double words = (references.CodeCount + 63) / 64;
        // Per query the index pays its postings (a scattered increment ≈ 3 word operations) plus two vectorised passes
        // over the references; brute force pays about (words + 2) per pair.
        double inverted = (touches * 3) + (pairs * 0.5);
        double brute = pairs * (words + 2);
        return inverted < brute;
    }

    private static (int[], int[]) SearchInverted(EhrDataset queries, EhrDataset references, int[] sizes, bool exclude, ParallelOptions options)
    {
        // Postings: for each code, the references that have it, ascending.
        int d = references.CodeCount;
        var start = new int[d + 1];
        foreach (int c in Enumerable.Range(0, references.PatientCount).SelectMany(r => references.GetCodes(r).ToArray()))
        {
            start[c + 1]++;
        }

        for (int c = 0; c < d; c++)
        {
            start[c + 1] += start[c];
        }

        var postings = new int[start[d]];
        var fill = start.ToArray();
        for (int r = 0; r < references.PatientCount; r++)
        {
            foreach (int c in references.GetCodes(r))
            {
                postings[fill[c]++] = r;
            }
        }

        int nq = queries.PatientCount, nr = references.PatientCount;
        var distance = new int[nq];
        var index = new int[nq];
        Parallel.For(0, nq, options,
            () => new int[nr],
            (q, _, inter) =>
            {
                var codes = queries.GetCodes(q);
                foreach (int c in codes)
                {
                    for (int k = start[c]; k < start[c + 1]; k++)
                    {
                        inter[postings[k]]++;
                    }
                }

                if (exclude)
                {
                    inter[q] = -(1 << 24); // pushes the query's own row out of reach
                }

                // d = |a| + |b| − 2|a ∩ b|: minimise |b| − 2|a ∩ b| over all references (untouched ones have ∩ = 0).
                var (score, at) = ArgMin(sizes, inter);
                distance[q] = codes.Length + score;
                index[q] = at;
                Array.Clear(inter);
                return inter;
            },
            _ => { });
        return (distance, index);
    }

    /// <summary>min over r of sizes[r] − 2·inter[r], and the lowest r reaching it (vectorised).</summary>
    private static (int Score, int Index) ArgMin(int[] sizes, int[] inter)
    {
        int n = sizes.Length, w = Vector<int>.Count, i = 0;
        var best = new Vector<int>(int.MaxValue);
        for (; i + w <= n; i += w)
        {
            best = Vector.Min(best, new Vector<int>(sizes, i) - (new Vector<int>(inter, i) * 2));
        }

        int min = int.MaxValue;
        for (int k = 0; k < w; k++)
        {
            min = Math.Min(min, best[k]);
        }

        for (; i < n; i++)
        {
            min = Math.Min(min, sizes[i] - (2 * inter[i]));
        }

        for (int r = 0; r < n; r++)
        {
            if (sizes[r] - (2 * inter[r]) == min)
            {
                return (min, r);
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    private static (int[], int[]) SearchPacked(EhrDataset queries, EhrDataset references, int[] sizes, int[] bySize, bool exclude, ParallelOptions options)
    {
        // Pack the references physically in (size, index) order so the outward walk reads memory sequentially.
        int nr = references.PatientCount;
        int words = (references.CodeCount + 63) >> 6;
        var packed = new ulong[(long)nr * words];
        for (int pos = 0; pos < nr; pos++)
        {
            foreach (int c in references.GetCodes(bySize[pos]))
            {
                packed[((long)pos * words) + (c >> 6)] |= 1UL << (c & 63);
            }
        }

        var qBits = queries.ToPackedRows();
        var sortedSizes = bySize.Select(r => sizes[r]).ToArray();
        var distance = new int[queries.PatientCount];
        var index = new int[queries.PatientCount];
        Parallel.For(0, queries.PatientCount, options, q =>
        {
            var a = qBits.Row(q);
            var all = packed.AsSpan();
            int ka = queries.GetCodeCount(q);

            // Walk outwards from the references of the same size; | |a| − |b| | bounds the distance from below.
            int hi = LowerBound(sortedSizes, ka), lo = hi - 1;
            int best = int.MaxValue, bestIndex = -1;
            while (lo >= 0 || hi < nr)
            {
                int gapLo = lo >= 0 ? ka - sortedSizes[lo] : int.MaxValue;
                int gapHi = hi < nr ? sortedSizes[hi] - ka : int.MaxValue;
                bool takeHi = gapHi <= gapLo;
                if ((takeHi ? gapHi : gapLo) > best)
                {
                    break;
                }

                int pos = takeHi ? hi++ : lo--;
                int r = bySize[pos];
                if (exclude && r == q)
                {
                    continue;
                }

                int dist = Xor(a, all.Slice(pos * words, words));
                if (dist < best || (dist == best && r < bestIndex))
                {
                    best = dist;
                    bestIndex = r;
                }
            }

            distance[q] = best;
            index[q] = bestIndex;
        });
        return (distance, index);
    }

    private static int Xor(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        // Four independent accumulators keep the POPCNT units busy.
        int n0 = 0, n1 = 0, n2 = 0, n3 = 0, i = 0;
        b = b[..a.Length];
        for (; i + 4 <= a.Length; i += 4)
        {
            n0 += BitOperations.PopCount(a[i] ^ b[i]);
            n1 += BitOperations.PopCount(a[i + 1] ^ b[i + 1]);
            n2 += BitOperations.PopCount(a[i + 2] ^ b[i + 2]);
            n3 += BitOperations.PopCount(a[i + 3] ^ b[i + 3]);
        }

        for (; i < a.Length; i++)
        {
            n0 += BitOperations.PopCount(a[i] ^ b[i]);
        }

        return n0 + n1 + n2 + n3;
    }

    private static int LowerBound(int[] sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
