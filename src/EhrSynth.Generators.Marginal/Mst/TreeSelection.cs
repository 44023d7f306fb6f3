using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Marginal.Mst;

/// <summary>
/// MST's choice of the pairs to measure: a spanning tree of the codes built one edge at a time, each edge drawn by the
/// exponential mechanism among the pairs that join two components, with the score of a pair the L1 distance between its
/// true 2 × 2 table and the table the one-way estimate predicts (sensitivity 1: one patient changes one cell of each).
/// </summary>
/// <remarks>
/// Each of the r − 1 draws (r = the codes that may join a pair, each its own component at the start) is ε₀-DP with ε₀ = √(8ρ/(r − 1)), so the whole selection is
/// ρ-zCDP (ε₀²/8 per draw). A draw samples among all pairs not drawn yet with probability ∝ exp(ε₀ · score / 2) from a
/// sum tree, and rejects a pair whose codes are already joined (it can never join two components again, so it is
/// removed): the accepted pair is distributed exactly as the exponential mechanism over the joining pairs, at O(log P)
/// per draw instead of a pass over all P pairs. Without noise (ρ = ∞) the highest score wins each round: Kruskal.
/// </remarks>
internal static class TreeSelection
{
    /// <summary>The pairs of a spanning tree over the <paramref name="eligible"/> codes (the others join no pair).</summary>
    /// <param name="codes">D.</param>
    /// <param name="eligible">Which codes may join a pair.</param>
    /// <param name="score">The score of pair <c>PairIndex</c>, for every pair.</param>
    /// <param name="rho">ρ of the selection; <see cref="double.PositiveInfinity"/> for the exact maximum.</param>
    /// <param name="rng">The randomness.</param>
    /// <param name="cancellationToken">Checked every 256 draws.</param>
    public static List<(int A, int B)> Select(int codes, bool[] eligible, double[] score, double rho, Random rng, CancellationToken cancellationToken)
    {
        var forest = new DisjointSets(codes);
        int members = eligible.Count(e => e);
        var edges = new List<(int, int)>(Math.Max(0, members - 1));
        if (members < 2)
        {
            return edges;
        }

        var removed = new bool[score.Length];
        for (int i = 0; i < score.Length; i++)
        {
            var (a, b) = Pair(i, codes);
            removed[i] = !(eligible[a] && eligible[b]);
        }

        if (double.IsPositiveInfinity(rho))
        {
            foreach (int i in Enumerable.Range(0, score.Length).Where(i => !removed[i]).OrderByDescending(i => score[i]).ThenBy(i => i))
            {
                var (a, b) = Pair(i, codes);
                if (forest.Union(a, b))
                {
                    edges.Add((a, b));
                }
            }

            return edges;
        }

        double epsilon = Math.Sqrt(8 * rho / (members - 1));
        var weights = new SumTree(score.Length);
        Reweigh(weights, score, removed, epsilon);
        while (edges.Count < members - 1)
        {
            if ((edges.Count & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!(weights.Total > 0))
            {
                Reweigh(weights, score, removed, epsilon);           // the rest underflowed: relative to their own best
            }

            int drawn = weights.Find(rng.NextDouble() * weights.Total);
            removed[drawn] = true;
            weights.Set(drawn, 0);
            var (a, b) = Pair(drawn, codes);
            if (forest.Union(a, b))
            {
                edges.Add((a, b));
            }
        }

        return edges;
    }

    /// <summary>Weights exp(ε₀ (score − best) / 2) of the pairs not removed, relative to the best of them (the probabilities do not change).</summary>
    private static void Reweigh(SumTree weights, double[] score, bool[] removed, double epsilon)
    {
        double top = double.NegativeInfinity;
        for (int i = 0; i < score.Length; i++)
        {
            top = removed[i] ? top : Math.Max(top, score[i]);
        }

        for (int i = 0; i < score.Length; i++)
        {
            weights.Set(i, removed[i] ? 0 : Math.Exp(0.5 * epsilon * (score[i] - top)));
        }
    }

    /// <summary>The index of pair (a, b), a &lt; b, among the D(D − 1)/2 pairs in row order.</summary>
    public static long PairIndex(int a, int b, int codes) => ((long)a * ((2L * codes) - a - 1) / 2) + (b - a - 1);

    /// <summary>The pair of an index.</summary>
    public static (int A, int B) Pair(long index, int codes)
    {
        // Row a holds D − 1 − a pairs; find it by the quadratic formula, then correct rounding.
        int a = (int)Math.Floor(((2 * codes) - 1 - Math.Sqrt(Math.Pow((2 * codes) - 1, 2) - (8.0 * index))) / 2);
        a = Math.Clamp(a, 0, codes - 2);
        while (a > 0 && PairIndex(a, a + 1, codes) > index)
        {
            a--;
        }

        while (a < codes - 2 && PairIndex(a + 1, a + 2, codes) <= index)
        {
            a++;
        }

        return (a, (int)(index - PairIndex(a, a + 1, codes)) + a + 1);
    }
}
