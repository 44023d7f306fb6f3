namespace EhrSynth.Generators.Llm.Sampling;

/// <summary>
/// The grammar of a record after the prompt — <c>code (, code)* EOS</c> over vocabulary codes, each at most once — as a
/// per-sequence state machine over a <see cref="CodeTrie"/>. At every step it lists the tokens that keep the record
/// valid and completable within the remaining token budget, so sampled records always parse into distinct vocabulary
/// codes (validity 100 % by construction) and every sequence ends within the budget.
/// </summary>
internal sealed class ConstrainedDecoder
{
    private readonly CodeTrie _trie;
    private readonly int _separator;
    private readonly int _eos;
    private readonly int[] _node;
    private readonly int[][] _usedUnder;   // per sequence: used codes below each node
    private readonly bool[][] _used;       // per sequence: used codes
    private readonly List<int>[] _codes;   // per sequence: completed codes, in order

    public ConstrainedDecoder(CodeTrie trie, int separator, int eos, int sequences, int codeCount)
    {
        _trie = trie;
        _separator = separator;
        _eos = eos;
        _node = new int[sequences];
        _usedUnder = Enumerable.Range(0, sequences).Select(_ => new int[trie.NodeCount]).ToArray();
        _used = Enumerable.Range(0, sequences).Select(_ => new bool[codeCount]).ToArray();
        _codes = Enumerable.Range(0, sequences).Select(_ => new List<int>()).ToArray();
        Finished = new bool[sequences];
    }

    public bool[] Finished { get; }

    /// <summary>The codes completed by sequence <paramref name="s"/>.</summary>
    public IReadOnlyList<int> Codes(int s) => _codes[s];

    /// <summary>Starts a sequence with codes already in its prompt (cohort generation).</summary>
    public void Require(int s, int code) => MarkUsed(s, code);

    /// <summary>Tokens allowed next for sequence <paramref name="s"/> with <paramref name="remaining"/> tokens left (this one included).</summary>
    public void Allowed(int s, int remaining, List<int> allowed)
    {
        allowed.Clear();
        if (Finished[s])
        {
            allowed.Add(_eos);
            return;
        }

        int node = _node[s];
        foreach (var (token, child) in _trie.Children(node))
        {
            // Take the edge only if a code below is unused and there is room to finish it and end the record.
            if (_trie.SubtreeCodes(child) > _usedUnder[s][child] && 1 + _trie.MinToTerminal(child) + 1 <= remaining)
            {
                allowed.Add(token);
            }
        }

        int code = _trie.Terminal(node);
        if (code >= 0 && !_used[s][code])
        {
            allowed.Add(_eos);
            if (remaining >= 2 + 1 + 1 && _codes[s].Count + 1 < _used[s].Length)
            {
                allowed.Add(_separator);   // room for the separator, one more token at least, and the end
            }
        }

        if (allowed.Count == 0)
        {
            // Only reachable when a code's shortest completion is taken by used codes; end with what is complete.
            allowed.Add(_eos);
        }
    }

    /// <summary>Advances sequence <paramref name="s"/> by the chosen token.</summary>
    public void Advance(int s, int token)
    {
        if (Finished[s])
        {
            return;
        }

        if (token == _eos || token == _separator)
        {
            int code = _trie.Terminal(_node[s]);
            if (code >= 0 && !_used[s][code])
            {
                MarkUsed(s, code);
                _codes[s].Add(code);
            }

            _node[s] = CodeTrie.Root;
            Finished[s] = token == _eos;
            return;
        }

        _node[s] = _trie.Children(_node[s])[token];
    }

    private void MarkUsed(int s, int code)
    {
        _used[s][code] = true;
        _usedUnder[s][CodeTrie.Root]++;
        foreach (int node in _trie.Path(code))
        {
            _usedUnder[s][node]++;
        }
    }
}
