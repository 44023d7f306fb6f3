using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Marginal.Mst;

/// <summary>
/// The exact statistics MST's mechanisms add noise to: each code's count, every pair's count of patients with both
/// (a triangular array, D(D − 1)/2 entries), and the capped weights min(1, K/k) of <see cref="MstMeasurements.Sparse"/>.
/// </summary>
internal sealed class MstStatistics
{
    private readonly EhrDataset _data;
    private readonly int _cap;

    public MstStatistics(EhrDataset data, int cap, CancellationToken cancellationToken)
    {
        (_data, _cap) = (data, cap);
        Codes = data.CodeCount;
        Patients = data.PatientCount;
        Counts = data.CodeCounts();
        WeightedCounts = new double[Codes];
        Pairs = new int[(long)Codes * (Codes - 1) / 2];
        for (int p = 0; p < data.PatientCount; p++)
        {
            if ((p & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var codes = data.GetCodes(p);                                   // sorted
            double weight = Weight(codes.Length);
            for (int i = 0; i < codes.Length; i++)
            {
                WeightedCounts[codes[i]] += weight;
                for (int j = i + 1; j < codes.Length; j++)
                {
                    Pairs[TreeSelection.PairIndex(codes[i], codes[j], Codes)]++;
                }
            }
        }
    }

    public int Codes { get; }

    /// <summary>K.</summary>
    public int Cap => _cap;

    public int Patients { get; }

    /// <summary>Patients with each code.</summary>
    public int[] Counts { get; }

    /// <summary>Σ min(1, K/k) over the patients with each code.</summary>
    public double[] WeightedCounts { get; }

    /// <summary>Patients with both codes of each pair (<see cref="TreeSelection.PairIndex"/>).</summary>
    public int[] Pairs { get; }

    /// <summary>A patient's weight in the sparse measurements: min(1, K/k).</summary>
    public double Weight(int codes) => Math.Min(1.0, (double)_cap / Math.Max(1, codes));

    /// <summary>The exact 2 × 2 table of pair (a, b): cells (x_a, x_b) at 2x_a + x_b.</summary>
    public double[] Table(int a, int b)
    {
        (a, b) = a < b ? (a, b) : (b, a);
        double both = Pairs[TreeSelection.PairIndex(a, b, Codes)];
        return [Patients - Counts[a] - Counts[b] + both, Counts[b] - both, Counts[a] - both, both];
    }

    /// <summary>Σ min(1, K/k) over the patients with both codes of each edge.</summary>
    public double[] WeightedPairs(IReadOnlyList<(int A, int B)> edges)
    {
        var index = new Dictionary<long, int>();
        for (int e = 0; e < edges.Count; e++)
        {
            var (a, b) = edges[e].A < edges[e].B ? edges[e] : (edges[e].B, edges[e].A);
            index[TreeSelection.PairIndex(a, b, Codes)] = e;
        }

        var weighted = new double[edges.Count];
        for (int p = 0; p < _data.PatientCount; p++)
        {
            var codes = _data.GetCodes(p);
            double weight = Weight(codes.Length);
            for (int i = 0; i < codes.Length; i++)
            {
                for (int j = i + 1; j < codes.Length; j++)
                {
                    if (index.TryGetValue(TreeSelection.PairIndex(codes[i], codes[j], Codes), out int e))
                    {
                        weighted[e] += weight;
                    }
                }
            }
        }

        return weighted;
    }

    /// <summary>
    /// The selection score of every pair: the L1 distance between its exact table and the table the one-way estimate
    /// predicts (total × products of the estimated prevalences). One patient changes it by at most 1.
    /// </summary>
    public double[] Scores(double total, double[] present)
    {
        var scores = new double[Pairs.Length];
        for (int a = 0; a < Codes; a++)
        {
            double pa = present[a];
            for (int b = a + 1; b < Codes; b++)
            {
                double pb = present[b], both = Pairs[TreeSelection.PairIndex(a, b, Codes)];
                double n11 = both, n10 = Counts[a] - both, n01 = Counts[b] - both, n00 = Patients - Counts[a] - Counts[b] + both;
                scores[TreeSelection.PairIndex(a, b, Codes)] =
                    Math.Abs(n00 - (total * (1 - pa) * (1 - pb))) + Math.Abs(n01 - (total * (1 - pa) * pb))
                    + Math.Abs(n10 - (total * pa * (1 - pb))) + Math.Abs(n11 - (total * pa * pb));
            }
        }

        return scores;
    }

    /// <summary>The exact prevalences and the edges' P(both), for the fit without noise.</summary>
    public (double[] Present, double[] Joint) Exact(IReadOnlyList<(int A, int B)> edges)
    {
        double n = Math.Max(1, Patients);
        return ([.. Counts.Select(c => c / n)], [.. edges.Select(e => Table(e.A, e.B)[3] / n)]);
    }
}
