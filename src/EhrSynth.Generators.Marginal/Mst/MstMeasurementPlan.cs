namespace EhrSynth.Generators.Marginal.Mst;

/// <summary>
/// MST's Gaussian measurements for one fit: its shares of ρ spent on the one-way and the pair marginals with the σ the
/// measurements' L2 sensitivity calls for (the Gaussian mechanism is Δ²/(2σ²)-zCDP), the noisy values kept, the total
/// estimated, and the tree model fitted to them (<see cref="TreeInference"/>).
/// </summary>
/// <remarks>
/// <see cref="MstMeasurements.OneHot"/>: each code's (absent, present) table, Δ = √D over all D tables; each edge's
/// 2 × 2 table, Δ = √(D − 1) (mst.py's σ/w with w = 1/√(number of cliques)). <see cref="MstMeasurements.Sparse"/>: the
/// patient count and each code's capped count, Δ = √(1 + K); each edge's capped count of both, Δ = √K (a patient with
/// k codes joins at most k − 1 tree edges, each with weight min(1, K/k)). Without noise (ρ = ∞) σ is 0 and the exact
/// values are used.
/// </remarks>
internal sealed class MstMeasurementPlan(MstStatistics stats, MstMeasurements kind, double rhoOneWay, double rhoPairs, Random rng)
{
    private double[] _oneWayAbsent = [];
    private double[] _oneWayPresent = [];
    private double _patients;
    private double[][] _tables = [];

    public double SigmaOneWay { get; } = Sigma(kind == MstMeasurements.Sparse ? 1 + stats.Cap : stats.Codes, rhoOneWay);

    /// <summary>σ of the pair measurements (set by <see cref="TwoWay"/>: one-hot tables' sensitivity grows with the edges).</summary>
    public double SigmaTwoWay { get; private set; }

    /// <summary>Which codes may join a pair: their noisy one-way count is at least <paramref name="threshold"/> σ (all, without a threshold or noise).</summary>
    public bool[] Supported(double? threshold) =>
        [.. _oneWayPresent.Select(y => threshold is not { } t || SigmaOneWay == 0 || y >= t * SigmaOneWay)];

    /// <summary>Measures the one-way marginals; returns the estimated total and prevalences (the one-way estimate).</summary>
    public (double Total, double[] Present) OneWay()
    {
        int d = stats.Codes;
        _oneWayPresent = new double[d];
        _oneWayAbsent = new double[d];
        double total;
        var present = new double[d];
        if (kind == MstMeasurements.Sparse)
        {
            _patients = stats.Patients + Noise(SigmaOneWay);
            for (int c = 0; c < d; c++)
            {
                _oneWayPresent[c] = stats.WeightedCounts[c] + Noise(SigmaOneWay);
            }

            total = Math.Max(1, _patients);
            for (int c = 0; c < d; c++)
            {
                present[c] = Math.Clamp(_oneWayPresent[c] / total, 0, 1);
            }

            return (total, present);
        }

        double sum = 0;
        for (int c = 0; c < d; c++)
        {
            _oneWayAbsent[c] = stats.Patients - stats.Counts[c] + Noise(SigmaOneWay);
            _oneWayPresent[c] = stats.Counts[c] + Noise(SigmaOneWay);
            sum += _oneWayAbsent[c] + _oneWayPresent[c];
        }

        total = Math.Max(1, sum / d);                                        // every table's sum has the same variance
        for (int c = 0; c < d; c++)
        {
            // The least-squares point of the scaled simplex {μ ≥ 0, μ₀ + μ₁ = total} nearest the two noisy counts.
            present[c] = Math.Clamp((total + _oneWayPresent[c] - _oneWayAbsent[c]) / 2, 0, total) / total;
        }

        return (total, present);
    }

    /// <summary>Measures the pair marginals of the tree's edges.</summary>
    public void TwoWay(IReadOnlyList<(int A, int B)> edges)
    {
        SigmaTwoWay = Sigma(kind == MstMeasurements.Sparse ? stats.Cap : Math.Max(1, edges.Count), rhoPairs);
        if (kind == MstMeasurements.Sparse)
        {
            var both = stats.WeightedPairs(edges);
            _tables = [.. both.Select(x => new[] { x + Noise(SigmaTwoWay) })];
            return;
        }

        _tables = [.. edges.Select(e => stats.Table(e.A, e.B).Select(x => x + Noise(SigmaTwoWay)).ToArray())];
    }

    /// <summary>Fits the tree to every measurement; returns each code's P(present) and each edge's P(both).</summary>
    public (double[] Present, double[] Joint) Fit(IReadOnlyList<(int A, int B)> edges, int iterations, CancellationToken cancellationToken)
    {
        int d = stats.Codes;
        double total = Total(edges.Count);
        var model = new TreeInference(d, edges, total);
        for (int c = 0; c < d; c++)
        {
            int e = model.EdgeOf(c);
            if (e < 0)
            {
                continue;                                                       // in no pair: its one-way estimate below
            }

            if (kind == MstMeasurements.Sparse)
            {
                model.Measure(e, [model.NodeRow(e, c, 1)], [_oneWayPresent[c]], SigmaOneWay);
            }
            else
            {
                model.Measure(e, [model.NodeRow(e, c, 0), model.NodeRow(e, c, 1)], [_oneWayAbsent[c], _oneWayPresent[c]], SigmaOneWay);
            }
        }

        for (int e = 0; e < edges.Count; e++)
        {
            if (kind == MstMeasurements.Sparse)
            {
                model.Measure(e, [[0, 0, 0, 1]], _tables[e], SigmaTwoWay);
            }
            else
            {
                model.Measure(e, [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], _tables[e], SigmaTwoWay);
            }
        }

        if (edges.Count > 0)
        {
            model.Fit(iterations, cancellationToken);
        }

        var mu = model.Marginals;
        var present = new double[d];
        for (int c = 0; c < d; c++)
        {
            int e = model.EdgeOf(c);
            if (e < 0)
            {
                present[c] = OneWayEstimate(c, total);
                continue;
            }

            var row = model.NodeRow(e, c, 1);
            double p = 0;
            for (int k = 0; k < 4; k++)
            {
                p += row[k] * mu[(4 * e) + k];
            }

            present[c] = p / total;
        }

        return (present, [.. Enumerable.Range(0, edges.Count).Select(e => mu[(4 * e) + 3] / total)]);
    }

    /// <summary>The least-squares prevalence of code <paramref name="c"/> from its one-way measurement alone.</summary>
    private double OneWayEstimate(int c, double total) => kind == MstMeasurements.Sparse
        ? Math.Clamp(_oneWayPresent[c] / total, 0, 1)
        : Math.Clamp((total + _oneWayPresent[c] - _oneWayAbsent[c]) / 2, 0, total) / total;

    /// <summary>
    /// The total the model sums to: the noisy patient count (sparse), or the inverse-variance mean of every measured
    /// table's sum (one-hot, as private-pgm estimates it).
    /// </summary>
    private double Total(int edges)
    {
        if (kind == MstMeasurements.Sparse)
        {
            return Math.Max(1, _patients);
        }

        double oneWayVariance = 2 * SigmaOneWay * SigmaOneWay, pairVariance = 4 * SigmaTwoWay * SigmaTwoWay;
        double weighted = 0, weights = 0;
        for (int c = 0; c < stats.Codes; c++)
        {
            weighted += (_oneWayAbsent[c] + _oneWayPresent[c]) / oneWayVariance;
            weights += 1 / oneWayVariance;
        }

        for (int e = 0; e < edges; e++)
        {
            weighted += _tables[e].Sum() / pairVariance;
            weights += 1 / pairVariance;
        }

        return Math.Max(1, weighted / weights);
    }

    private static double Sigma(double sensitivitySquared, double rho) =>
        double.IsPositiveInfinity(rho) ? 0 : Math.Sqrt(sensitivitySquared / (2 * rho));

    private double Noise(double sigma)
    {
        if (sigma == 0)
        {
            return 0;
        }

        double u = 1.0 - rng.NextDouble();                                   // Box–Muller
        return sigma * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * rng.NextDouble());
    }
}
