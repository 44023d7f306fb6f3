using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Metrics.Baselines;

/// <summary>
/// The pairwise reference, a second bar beside the floor: a Chow–Liu tree (Chow and Liu 1968) fitted without noise —
/// the maximum spanning tree of the codes under the mutual information of their exact 2 × 2 tables, each code drawn
/// given its parent with the exact conditional. It knows every code's prevalence and the strongest pair structure and
/// nothing of higher order, so a model that does not beat it has learned no more than pairs of codes; a private
/// marginal model (MST) estimates the same kind of tree under noise. Pairs that never co-occur are not candidate edges
/// (their dependence is weak and negative); trees of codes that no co-occurring pair joins are independent. No
/// TorchSharp; memory proportional to the pairs that occur.
/// </summary>
public static class PairwiseTreeReference
{
    /// <summary>The row name reports show.</summary>
    public const string RowName = "Pairwise tree (Chow–Liu)";

    /// <summary>Fits the tree to <paramref name="train"/> and draws <paramref name="count"/> records from it.</summary>
    public static EhrDataset Sample(EhrDataset train, int count, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Fit(train, cancellationToken).Sample(train.Vocabulary, count, seed, null, cancellationToken);
    }

    /// <summary>The fitted tree.</summary>
    internal static BinaryTreeModel Fit(EhrDataset train, CancellationToken cancellationToken)
    {
        int d = train.CodeCount;
        double n = Math.Max(1, train.PatientCount);
        var counts = train.CodeCounts();
        var pairs = PairCounts(train, cancellationToken);
        var scored = pairs.Select(kv => (Key: kv.Key, Score: MutualInformation(kv.Value / n, counts[(int)(kv.Key / d)] / n, counts[(int)(kv.Key % d)] / n)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Key).ToList();
        var forest = new DisjointSets(d);
        var edges = new List<(int, int)>();
        var joint = new List<double>();
        foreach (var (key, _) in scored)
        {
            int a = (int)(key / d), b = (int)(key % d);
            if (forest.Union(a, b))
            {
                edges.Add((a, b));
                joint.Add(pairs[key] / n);
            }
        }

        return BinaryTreeModel.Create(d, edges, c => counts[c] / n, e => joint[e]);
    }

    /// <summary>How many patients have both codes, for every pair (a &lt; b) that occurs: key a·D + b.</summary>
    internal static Dictionary<long, int> PairCounts(EhrDataset data, CancellationToken cancellationToken)
    {
        var pairs = new Dictionary<long, int>();
        long d = data.CodeCount;
        for (int p = 0; p < data.PatientCount; p++)
        {
            if ((p & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var codes = data.GetCodes(p);                                  // sorted
            for (int i = 0; i < codes.Length; i++)
            {
                for (int j = i + 1; j < codes.Length; j++)
                {
                    long key = (codes[i] * d) + codes[j];
                    pairs[key] = pairs.GetValueOrDefault(key) + 1;
                }
            }
        }

        return pairs;
    }

    /// <summary>The mutual information of two binary variables with P(both) = <paramref name="both"/> and marginals <paramref name="a"/>, <paramref name="b"/>.</summary>
    internal static double MutualInformation(double both, double a, double b)
    {
        double[] joint = [both, a - both, b - both, 1 - a - b + both];
        double[] pa = [a, a, 1 - a, 1 - a], pb = [b, 1 - b, b, 1 - b];
        double mi = 0;
        for (int i = 0; i < 4; i++)
        {
            if (joint[i] > 0 && pa[i] > 0 && pb[i] > 0)
            {
                mi += joint[i] * Math.Log(joint[i] / (pa[i] * pb[i]));
            }
        }

        return mi;
    }
}
