namespace EhrSynth.Generators.Generation;

/// <summary>Disjoint sets of the integers 0 … n − 1 with path halving: the forests of the tree models (Chow–Liu, MST).</summary>
internal sealed class DisjointSets(int size)
{
    private readonly int[] _parent = [.. Enumerable.Range(0, size)];

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are in one set.</summary>
    public bool Connected(int a, int b) => Find(a) == Find(b);

    /// <summary>Joins the sets of <paramref name="a"/> and <paramref name="b"/>; <see langword="false"/> when they were one already.</summary>
    public bool Union(int a, int b)
    {
        (a, b) = (Find(a), Find(b));
        if (a == b)
        {
            return false;
        }

        _parent[Math.Max(a, b)] = Math.Min(a, b);
        return true;
    }

    private int Find(int x)
    {
        while (_parent[x] != x)
        {
            x = _parent[x] = _parent[_parent[x]];
        }

        return x;
    }
}
