using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Generation;

/// <summary>
/// A tree-structured distribution over binary codes (a forest: each tree's root drawn from its marginal, every other
/// code from its parent's value), built from consistent node and edge marginals and sampled ancestrally. The model of
/// the pairwise reference (Chow–Liu) and of MST.
/// </summary>
internal sealed class BinaryTreeModel
{
    private readonly int[] _order;                                  // parents before children
    private readonly int[] _parent;                                 // −1 for a root
    private readonly double[] _ifParentAbsent;                      // P(x = 1 | parent = 0), or P(x = 1) for a root
    private readonly double[] _ifParentPresent;                     // P(x = 1 | parent = 1)

    private BinaryTreeModel(int[] order, int[] parent, double[] ifAbsent, double[] ifPresent) =>
        (_order, _parent, _ifParentAbsent, _ifParentPresent) = (order, parent, ifAbsent, ifPresent);

    /// <summary>Codes.</summary>
    public int CodeCount => _parent.Length;

    /// <summary>The parent of each code (−1 for roots).</summary>
    public IReadOnlyList<int> Parents => _parent;

    /// <summary>
    /// Builds the model. <paramref name="edges"/> is a forest over <paramref name="codes"/> codes;
    /// <paramref name="present"/> gives each code's P(x = 1), <paramref name="joint"/> each edge's P(x_a = 1, x_b = 1)
    /// (consistent with the node marginals, as a fitted or exact model's are). Each tree is rooted at its lowest code.
    /// </summary>
    /// <exception cref="ArgumentException">An edge repeats, joins a code to itself, or closes a cycle.</exception>
    public static BinaryTreeModel Create(int codes, IReadOnlyList<(int A, int B)> edges, Func<int, double> present, Func<int, double> joint)
    {
        var neighbours = new List<(int Code, int Edge)>[codes];
        for (int c = 0; c < codes; c++)
        {
            neighbours[c] = [];
        }

        for (int e = 0; e < edges.Count; e++)
        {
            var (a, b) = edges[e];
            if (a == b || (uint)a >= (uint)codes || (uint)b >= (uint)codes)
            {
                throw new ArgumentException($"Edge {e} ({a}, {b}) is not between two different codes of {codes}.", nameof(edges));
            }

            neighbours[a].Add((b, e));
            neighbours[b].Add((a, e));
        }

        var parent = new int[codes];
        Array.Fill(parent, -2);
        var order = new List<int>(codes);
        var ifAbsent = new double[codes];
        var ifPresent = new double[codes];
        var queue = new Queue<int>();
        for (int root = 0; root < codes; root++)
        {
            if (parent[root] != -2)
            {
                continue;
            }

            parent[root] = -1;
            ifAbsent[root] = ifPresent[root] = Clamp(present(root));
            queue.Enqueue(root);
            while (queue.Count > 0)
            {
                int p = queue.Dequeue();
                order.Add(p);
                foreach (var (c, e) in neighbours[p])
                {
                    if (c == parent[p])
                    {
                        continue;
                    }

                    if (parent[c] != -2)
                    {
                        throw new ArgumentException($"The edges close a cycle at codes {p} and {c}.", nameof(edges));
                    }

                    parent[c] = p;
                    double pp = Clamp(present(p)), pc = Clamp(present(c)), both = Math.Clamp(joint(e), 0, Math.Min(pp, pc));
                    ifPresent[c] = pp > 0 ? Clamp(both / pp) : pc;
                    ifAbsent[c] = pp < 1 ? Clamp((pc - both) / (1 - pp)) : pc;
                    queue.Enqueue(c);
                }
            }
        }

        return new BinaryTreeModel([.. order], parent, ifAbsent, ifPresent);
    }

    /// <summary>Draws <paramref name="count"/> records, named <c>syn-0</c>, <c>syn-1</c>, …</summary>
    public EhrDataset Sample(CodeVocabulary vocabulary, int count, int seed, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var builder = new EhrDatasetBuilder(vocabulary, "syn-");
        var rng = new Random(seed);
        var value = new bool[CodeCount];
        var row = new List<int>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new GenerationProgress(i, count, watch.Elapsed));
            }

            row.Clear();
            foreach (int c in _order)
            {
                int p = _parent[c];
                double chance = p >= 0 && value[p] ? _ifParentPresent[c] : _ifParentAbsent[c];
                value[c] = rng.NextDouble() < chance;
                if (value[c])
                {
                    row.Add(c);
                }
            }

            row.Sort();
            builder.AddPatientSorted(null, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(row));
        }

        progress?.Report(new GenerationProgress(count, count, watch.Elapsed));
        return builder.Build();
    }

    private static double Clamp(double p) => double.IsNaN(p) ? 0 : Math.Clamp(p, 0, 1);
}
