namespace EhrSynth.Generators.Marginal.Mst;

/// <summary>
/// Private-PGM's estimate (McKenna, Sheldon and Miklau 2019) for a tree of binary codes: the distribution whose
/// clique marginals (one 2 × 2 table per tree edge, scaled to the estimated total) minimise the squared error to the
/// noisy measurements, each weighted by 1/σ². Mirror descent on the log-potentials of the edges — θ ← θ − α ∇μ L, the
/// entropic mirror step in the marginals — with exact belief propagation on the tree and private-pgm's line search
/// (α doubled each iteration, halved until the Armijo condition holds). Marginals are consistent by construction.
/// </summary>
internal sealed class TreeInference
{
    private readonly int _codes;
    private readonly IReadOnlyList<(int A, int B)> _edges;
    private readonly double _total;
    private readonly List<Measurement> _measurements = [];
    private readonly int[] _order;                 // nodes, parents first
    private readonly int[] _parentEdge;            // −1 for a root
    private readonly int[] _parentNode;
    private readonly bool[] _isB;                  // the node is its parent edge's B

    /// <summary>A model over <paramref name="codes"/> codes with one clique per edge of the forest <paramref name="edges"/>, summing to <paramref name="total"/>.</summary>
    public TreeInference(int codes, IReadOnlyList<(int A, int B)> edges, double total)
    {
        (_codes, _edges, _total) = (codes, edges, total);
        var neighbours = Enumerable.Range(0, codes).Select(_ => new List<(int Node, int Edge)>()).ToArray();
        for (int e = 0; e < edges.Count; e++)
        {
            neighbours[edges[e].A].Add((edges[e].B, e));
            neighbours[edges[e].B].Add((edges[e].A, e));
        }

        _parentEdge = Enumerable.Repeat(-2, codes).ToArray();
        _parentNode = new int[codes];
        _isB = new bool[codes];
        var order = new List<int>(codes);
        var queue = new Queue<int>();
        for (int root = 0; root < codes; root++)
        {
            if (_parentEdge[root] != -2)
            {
                continue;
            }

            (_parentEdge[root], _parentNode[root]) = (-1, -1);
            queue.Enqueue(root);
            while (queue.TryDequeue(out int p))
            {
                order.Add(p);
                foreach (var (c, e) in neighbours[p])
                {
                    if (_parentEdge[c] == -2)
                    {
                        (_parentEdge[c], _parentNode[c], _isB[c]) = (e, p, edges[e].B == c);
                        queue.Enqueue(c);
                    }
                }
            }
        }

        _order = [.. order];
        Marginals = new double[edges.Count * 4];
    }

    /// <summary>The fitted marginals: edge e's cell (x_A, x_B) at index 4e + 2x_A + x_B, in patients (they sum to the total).</summary>
    public double[] Marginals { get; }

    /// <summary>Adds a measurement of clique <paramref name="edge"/>: rows of coefficients over its four cells, the noisy values, and σ.</summary>
    public void Measure(int edge, double[][] rows, double[] values, double sigma) => _measurements.Add(new Measurement(edge, rows, values, sigma));

    /// <summary>Coefficients selecting the cells where <paramref name="code"/> has value <paramref name="value"/> in clique <paramref name="edge"/>.</summary>
    public double[] NodeRow(int edge, int code, int value)
    {
        bool isA = _edges[edge].A == code;
        return [.. Enumerable.Range(0, 4).Select(cell => ((isA ? cell >> 1 : cell & 1) == value) ? 1.0 : 0.0)];
    }

    /// <summary>An edge that holds <paramref name="code"/> (its parent edge, or the edge to its first child).</summary>
    public int EdgeOf(int code)
    {
        if (_parentEdge[code] >= 0)
        {
            return _parentEdge[code];
        }

        for (int e = 0; e < _edges.Count; e++)
        {
            if (_edges[e].A == code || _edges[e].B == code)
            {
                return e;
            }
        }

        return -1;
    }

    /// <summary>Runs mirror descent for <paramref name="iterations"/> iterations; returns the final loss.</summary>
    public double Fit(int iterations, CancellationToken cancellationToken)
    {
        var theta = new double[_edges.Count * 4];
        var mu = Propagate(theta);
        var (loss, gradient) = Loss(mu);
        double alpha = 1.0 / (_total * _total);
        for (int t = 0; t < iterations; t++)
        {
            if ((t & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var (omega, nu, current, dL) = (theta, mu, loss, gradient);
            alpha *= 2;
            for (int i = 0; i < 25; i++)
            {
                theta = new double[omega.Length];
                for (int k = 0; k < theta.Length; k++)
                {
                    theta[k] = omega[k] - (alpha * dL[k]);
                }

                mu = Propagate(theta);
                (loss, gradient) = Loss(mu);
                double expected = 0;
                for (int k = 0; k < mu.Length; k++)
                {
                    expected += dL[k] * (nu[k] - mu[k]);
                }

                if (current - loss >= 0.5 * alpha * expected)
                {
                    break;
                }

                alpha *= 0.5;
            }
        }

        Array.Copy(mu, Marginals, mu.Length);
        return loss;
    }

    /// <summary>½ Σ ‖(Qμ − y)/σ‖² and its gradient in μ.</summary>
    private (double Loss, double[] Gradient) Loss(double[] mu)
    {
        var gradient = new double[mu.Length];
        double loss = 0;
        foreach (var m in _measurements)
        {
            int offset = 4 * m.Edge;
            double weight = 1 / (m.Sigma * m.Sigma);
            for (int r = 0; r < m.Rows.Length; r++)
            {
                var row = m.Rows[r];
                double diff = -m.Values[r];
                for (int k = 0; k < 4; k++)
                {
                    diff += row[k] * mu[offset + k];
                }

                loss += 0.5 * weight * diff * diff;
                for (int k = 0; k < 4; k++)
                {
                    gradient[offset + k] += weight * diff * row[k];
                }
            }
        }

        return (loss, gradient);
    }

    /// <summary>Exact belief propagation: every edge's marginal under potentials exp(θ), scaled to the total.</summary>
    private double[] Propagate(double[] theta)
    {
        var inside = new double[2 * _codes];       // log of the product of the messages from the node's children
        var up = new double[2 * _codes];           // log message from the node to its parent, by the parent's value
        var outside = new double[2 * _codes];      // log message into the node from its parent's side
        double Psi(int node, int xp, int xc)
        {
            int e = _parentEdge[node];
            return _isB[node] ? theta[(4 * e) + (2 * xp) + xc] : theta[(4 * e) + (2 * xc) + xp];
        }

        for (int i = _order.Length - 1; i >= 0; i--)
        {
            int c = _order[i];
            if (_parentEdge[c] < 0)
            {
                continue;
            }

            int p = _parentNode[c];
            for (int xp = 0; xp < 2; xp++)
            {
                up[(2 * c) + xp] = LogSumExp(Psi(c, xp, 0) + inside[2 * c], Psi(c, xp, 1) + inside[(2 * c) + 1]);
                inside[(2 * p) + xp] += up[(2 * c) + xp];
            }
        }

        var mu = new double[_edges.Count * 4];
        var cell = new double[4];
        foreach (int c in _order)
        {
            if (_parentEdge[c] < 0)
            {
                continue;
            }

            int p = _parentNode[c], e = _parentEdge[c];
            for (int xc = 0; xc < 2; xc++)
            {
                outside[(2 * c) + xc] = LogSumExp(
                    Psi(c, 0, xc) + inside[2 * p] - up[2 * c] + outside[2 * p],
                    Psi(c, 1, xc) + inside[(2 * p) + 1] - up[(2 * c) + 1] + outside[(2 * p) + 1]);
            }

            for (int xp = 0; xp < 2; xp++)
            {
                for (int xc = 0; xc < 2; xc++)
                {
                    cell[(2 * xp) + xc] = Psi(c, xp, xc) + inside[(2 * p) + xp] - up[(2 * c) + xp] + outside[(2 * p) + xp] + inside[(2 * c) + xc];
                }
            }

            double norm = LogSumExp(LogSumExp(cell[0], cell[1]), LogSumExp(cell[2], cell[3]));
            for (int xp = 0; xp < 2; xp++)
            {
                for (int xc = 0; xc < 2; xc++)
                {
                    double value = _total * Math.Exp(cell[(2 * xp) + xc] - norm);
                    mu[(4 * e) + (_isB[c] ? (2 * xp) + xc : (2 * xc) + xp)] = value;
                }
            }
        }

        return mu;
    }

    private static double LogSumExp(double a, double b)
    {
        double m = Math.Max(a, b);
        return double.IsNegativeInfinity(m) ? m : m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
    }

    /// <summary>One noisy measurement of a clique: rows of coefficients over its cells, the values, σ.</summary>
    private sealed record Measurement(int Edge, double[][] Rows, double[] Values, double Sigma);
}
