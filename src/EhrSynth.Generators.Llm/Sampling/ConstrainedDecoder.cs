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
    private readonly bool[] _afterPrompt;  // per sequence: the prompt ended on a complete (required) code
    private readonly bool[][] _excluded;   // per sequence: codes the cohort forbids (also counted as used)
    private readonly int[][] _excludedUnder; // per sequence: excluded codes below each node

    public ConstrainedDecoder(CodeTrie trie, int separator, int eos, int sequences, int codeCount)
    {
        _trie = trie;
        _separator = separator;
        _eos = eos;
        _node = new int[sequences];
        _usedUnder = Enumerable.Range(0, sequences).Select(_ => new int[trie.NodeCount]).ToArray();
        _used = Enumerable.Range(0, sequences).Select(_ => new bool[codeCount]).ToArray();
        _codes = Enumerable.Range(0, sequences).Select(_ => new List<int>()).ToArray();
        _afterPrompt = new bool[sequences];
        _excluded = Enumerable.Range(0, sequences).Select(_ => new bool[codeCount]).ToArray();
        _excludedUnder = Enumerable.Range(0, sequences).Select(_ => new int[trie.NodeCount]).ToArray();
        Finished = new bool[sequences];
    }

    public bool[] Finished { get; }

    /// <summary>The codes completed by sequence <paramref name="s"/>.</summary>
    public IReadOnlyList<int> Codes(int s) => _codes[s];

    /// <summary>
    /// Starts a sequence whose prompt already lists <paramref name="required"/> (the last without a separator, so the
    /// next token is a separator or the end) and that may never emit <paramref name="excluded"/> (cohort generation).
    /// </summary>
    public void Start(int s, IReadOnlyList<int> required, IReadOnlyList<int> excluded)
    {
        foreach (int code in required)
        {
            MarkUsed(s, code);
        }

        foreach (int code in excluded)
        {
            MarkUsed(s, code);
            _excluded[s][code] = true;
            _excludedUnder[s][CodeTrie.Root]++;
            foreach (int node in _trie.Path(code))
            {
                _excludedUnder[s][node]++;
            }
        }

        _afterPrompt[s] = required.Count > 0;
        HasExclusions |= excluded.Count > 0;
    }

    /// <summary>Whether some sequence forbids codes (the decoder then weighs each step against the unforbidden grammar).</summary>
    public bool HasExclusions { get; private set; }

    /// <summary>
    /// The tokens the grammar would allow next if the cohort forbade nothing (excluded codes count as unused): the
    /// candidates of ordinary decoding after the same prefix, against which a forbidding step is weighed.
    /// </summary>
    public void AllowedWithoutExclusions(int s, int remaining, List<int> allowed) => Allowed(s, remaining, allowed, countExcluded: false);

    /// <summary>Tokens allowed next for sequence <paramref name="s"/> with <paramref name="remaining"/> tokens left (this one included).</summary>
    public void Allowed(int s, int remaining, List<int> allowed) => Allowed(s, remaining, allowed, countExcluded: true);

    private void Allowed(int s, int remaining, List<int> allowed, bool countExcluded)
    {
        // Codes taken below a node: used ones, less the excluded ones when the cohort's ban is ignored.
        int Taken(int node) => _usedUnder[s][node] - (countExcluded ? 0 : _excludedUnder[s][node]);
        allowed.Clear();
        if (Finished[s])
        {
            allowed.Add(_eos);
            return;
        }

        if (_afterPrompt[s])
        {
            // Right after the prompt's last required code: end here, or a separator if another code can still fit.
            allowed.Add(_eos);
            if (remaining >= 1 + _trie.MinToTerminal(CodeTrie.Root) + 1 && _trie.SubtreeCodes(CodeTrie.Root) > Taken(CodeTrie.Root))
            {
                allowed.Add(_separator);
            }

            return;
        }

        int node = _node[s];
        foreach (var (token, child) in _trie.Children(node))
        {
            // Take the edge only if a code below is unused and there is room to finish it and end the record.
            if (_trie.SubtreeCodes(child) > Taken(child) && 1 + _trie.MinToTerminal(child) + 1 <= remaining)
            {
                allowed.Add(token);
            }
        }

        int code = _trie.Terminal(node);
        if (code >= 0 && (!_used[s][code] || (!countExcluded && _excluded[s][code])))
        {
            allowed.Add(_eos);
            if (remaining >= 2 + 1 + 1 && _trie.SubtreeCodes(CodeTrie.Root) > Taken(CodeTrie.Root) + 1)
            {
                allowed.Add(_separator);   // room for the separator, one more token at least, and the end; a code left after this one
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

        if (_afterPrompt[s])
        {
            _afterPrompt[s] = false;
            Finished[s] = token == _eos;
            return;                                                           // at the root, for the next code
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
