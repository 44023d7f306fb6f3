namespace EhrSynth.Generators.Marginal.Mst;

/// <summary>
/// Non-negative weights with their running sums in a complete binary tree: set a weight and find the item at a
/// cumulative position in O(log n). Every sum is recomputed from its two children, so updates never drift.
/// </summary>
internal sealed class SumTree
{
    private readonly double[] _node;
    private readonly int _leaves;

    public SumTree(int count)
    {
        _leaves = 1;
        while (_leaves < count)
        {
            _leaves *= 2;
        }

        _node = new double[2 * _leaves];
    }

    /// <summary>The sum of all weights.</summary>
    public double Total => _node[1];

    /// <summary>Sets item <paramref name="index"/>'s weight.</summary>
    public void Set(int index, double weight)
    {
        int i = _leaves + index;
        _node[i] = weight;
        for (i /= 2; i >= 1; i /= 2)
        {
            _node[i] = _node[2 * i] + _node[(2 * i) + 1];
        }
    }

    /// <summary>The item whose cumulative range holds <paramref name="position"/> (in [0, <see cref="Total"/>)); never one of weight 0.</summary>
    public int Find(double position)
    {
        int i = 1;
        while (i < _leaves)
        {
            double left = _node[2 * i];
            if (position < left || _node[(2 * i) + 1] <= 0)
            {
                i *= 2;
            }
            else
            {
                position -= left;
                i = (2 * i) + 1;
            }
        }

        return i - _leaves;
    }
}
