namespace EhrSynth.Generators.Llm.Sampling;

/// <summary>
/// A trie over the token sequences of every vocabulary code (as they follow the prompt or a separator). Each node knows
/// the codes below it and the fewest tokens to the end of some code below it, which the constrained decoder uses to
/// keep every record valid and finite.
/// </summary>
internal sealed class CodeTrie
{
    private readonly List<Dictionary<int, int>> _children = [];
    private readonly List<int> _terminal = [];
    private readonly List<int> _subtreeCodes = [];
    private readonly List<int> _minToTerminal = [];
    private readonly List<int[]> _codeTokens;

    public CodeTrie(IReadOnlyList<int[]> codeTokens)
    {
        _codeTokens = [.. codeTokens];
        NewNode();
        for (int code = 0; code < codeTokens.Count; code++)
        {
            var tokens = codeTokens[code];
            if (tokens.Length == 0)
            {
                throw new ArgumentException($"Code {code} has no tokens.", nameof(codeTokens));
            }

            int node = 0;
            _subtreeCodes[0]++;
            foreach (int t in tokens)
            {
                if (!_children[node].TryGetValue(t, out int child))
                {
                    child = NewNode();
                    _children[node][t] = child;
                }

                node = child;
                _subtreeCodes[node]++;
            }

            if (_terminal[node] >= 0)
            {
                throw new ArgumentException($"Codes {_terminal[node]} and {code} have the same tokens.", nameof(codeTokens));
            }

            _terminal[node] = code;
        }

        ComputeMinimums(0);
        MaxCodeLength = codeTokens.Max(t => t.Length);
        MaxFanout = _children.Max(c => c.Count);
    }

    public const int Root = 0;

    public int NodeCount => _children.Count;

    public int MaxCodeLength { get; }

    /// <summary>The most children any node has.</summary>
    public int MaxFanout { get; }

    public IReadOnlyDictionary<int, int> Children(int node) => _children[node];

    /// <summary>The code that ends at <paramref name="node"/>, or −1.</summary>
    public int Terminal(int node) => _terminal[node];

    public int SubtreeCodes(int node) => _subtreeCodes[node];

    /// <summary>Tokens still needed from <paramref name="node"/> to finish the nearest code (0 at a terminal).</summary>
    public int MinToTerminal(int node) => _minToTerminal[node];

    /// <summary>The nodes a code's tokens pass through, root excluded.</summary>
    public IEnumerable<int> Path(int code)
    {
        int node = Root;
        foreach (int t in _codeTokens[code])
        {
            node = _children[node][t];
            yield return node;
        }
    }

    private int NewNode()
    {
        _children.Add([]);
        _terminal.Add(-1);
        _subtreeCodes.Add(0);
        _minToTerminal.Add(int.MaxValue);
        return _children.Count - 1;
    }

    private int ComputeMinimums(int node)
    {
        int best = _terminal[node] >= 0 ? 0 : int.MaxValue;
        foreach (int child in _children[node].Values)
        {
            best = Math.Min(best, 1 + ComputeMinimums(child));
        }

        _minToTerminal[node] = best;
        return best;
    }
}
