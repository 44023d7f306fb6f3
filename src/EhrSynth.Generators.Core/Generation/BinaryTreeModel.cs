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

    /// <summary>P(code present | its parent's value) (a root's marginal, whatever <paramref name="parentPresent"/>).</summary>
    public double PresentGiven(int code, bool parentPresent) => _parent[code] >= 0 && parentPresent ? _ifParentPresent[code] : _ifParentAbsent[code];

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

    /// <summary>
    /// The model conditioned on evidence — <paramref name="required"/> codes present, <paramref name="excluded"/>
    /// absent — as another tree of the same shape, and the evidence's probability under this model. Exact: each code's
    /// upward message βᶜ(x) = P(evidence below c | x_c = x) is computed from the leaves to the roots, then a root draws
    /// from P(x)β(x) and a child from P(x | parent)β(x), normalised — ancestral sampling of the posterior.
    /// </summary>
    /// <exception cref="ArgumentException">A code is out of range.</exception>
    public (BinaryTreeModel Model, double Probability) Condition(IReadOnlyList<int> required, IReadOnlyList<int> excluded)
    {
        int d = CodeCount;
        var allowed = new (bool Absent, bool Present)[d];
        Array.Fill(allowed, (true, true));
        foreach (int c in required)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)c, (uint)d, nameof(required));
            allowed[c] = (false, allowed[c].Present);
        }

        foreach (int c in excluded)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)c, (uint)d, nameof(excluded));
            allowed[c] = (allowed[c].Absent, false);
        }

        // β scaled so that its larger entry is 1; logScale carries what was divided out.
        var beta0 = new double[d];
        var beta1 = new double[d];
        var logScale = new double[d];
        for (int c = 0; c < d; c++)
        {
            (beta0[c], beta1[c]) = (allowed[c].Absent ? 1 : 0, allowed[c].Present ? 1 : 0);
        }

        for (int i = _order.Length - 1; i >= 0; i--)
        {
            int c = _order[i];
            double top = Math.Max(beta0[c], beta1[c]);
            if (top > 0 && top != 1)
            {
                (beta0[c], beta1[c], logScale[c]) = (beta0[c] / top, beta1[c] / top, logScale[c] + Math.Log(top));
            }

            int p = _parent[c];
            if (p >= 0)
            {
                // Message to the parent: Σ_x P(x | parent = v) β(x), for v = 0 and 1.
                double toAbsent = ((1 - _ifParentAbsent[c]) * beta0[c]) + (_ifParentAbsent[c] * beta1[c]);
                double toPresent = ((1 - _ifParentPresent[c]) * beta0[c]) + (_ifParentPresent[c] * beta1[c]);
                (beta0[p], beta1[p], logScale[p]) = (beta0[p] * toAbsent, beta1[p] * toPresent, logScale[p] + logScale[c]);
            }
        }

        var ifAbsent = new double[d];
        var ifPresent = new double[d];
        double logProbability = 0;
        for (int c = 0; c < d; c++)
        {
            if (_parent[c] < 0)
            {
                double z = ((1 - _ifParentAbsent[c]) * beta0[c]) + (_ifParentAbsent[c] * beta1[c]);
                logProbability += z > 0 ? Math.Log(z) + logScale[c] : double.NegativeInfinity;
                ifAbsent[c] = ifPresent[c] = Posterior(_ifParentAbsent[c], beta0[c], beta1[c]);
            }
            else
            {
                ifAbsent[c] = Posterior(_ifParentAbsent[c], beta0[c], beta1[c]);
                ifPresent[c] = Posterior(_ifParentPresent[c], beta0[c], beta1[c]);
            }
        }

        return (new BinaryTreeModel(_order, _parent, ifAbsent, ifPresent), Math.Exp(logProbability));
    }

    /// <summary>P(x = 1) ∝ p β(1) against (1 − p) β(0); 0 when neither is possible (the parent's value rules it out).</summary>
    private static double Posterior(double p, double beta0, double beta1)
    {
        double one = p * beta1, zero = (1 - p) * beta0;
        return one + zero > 0 ? one / (one + zero) : 0;
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
