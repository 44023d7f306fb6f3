namespace EhrSynth.Generators.Llm.Training;

/// <summary>
/// The training sentences of patients — "Patient ID X has Diagnostic Code(s) D1, D2, …" as tokens, codes shuffled when
/// an order is given — sorted by length and cut into chunks (<see cref="ChunkPartition"/>), each padded only to its own
/// longest sentence: the same loss as one padded batch, with less work on padding.
/// </summary>
internal sealed class TokenChunker(LlmParts parts, PatientIds ids)
{
    /// <summary>The memory bound of a chunk: at most this many rows of the batch's longest sentence, in padded tokens.</summary>
    public const int ChunkRows = 64;

    /// <summary>The token sequence of a patient: prompt, codes (shuffled with <paramref name="order"/>), separators, end.</summary>
    public int[] Sentence(int patient, ReadOnlySpan<int> codes, Random? order)
    {
        var list = codes.ToArray();
        order?.Shuffle(list);
        var tokens = new List<int>(parts.Prompt(ids.ForTraining(patient), []));
        for (int i = 0; i < list.Length; i++)
        {
            if (i > 0)
            {
                tokens.Add(parts.Tokenizer.SeparatorToken);
            }

            tokens.AddRange(parts.CodeTokens[list[i]]);
        }

        tokens.Add(parts.Tokenizer.EosToken);
        return [.. tokens];
    }

    /// <summary>
    /// The patients' sentences, each patient's codes ordered by its own <paramref name="order"/>, sorted by length and
    /// cut into padded chunks (<see cref="ChunkPartition"/>) — the batch of DP-SGD's ghost clipping, where every
    /// patient's sentence must be the one its one-patient loss sees.
    /// </summary>
    public List<TokenChunk> ChunksInOwnOrder(Data.EhrDataset data, IReadOnlyList<int> patients, Func<int, Random?> order) =>
        Cut([.. patients.Select(p => Sentence(p, data.GetCodes(p), order(p)))]);

    /// <summary>The patients' sentences, sorted by length and cut into padded chunks where <see cref="ChunkPartition"/> says.</summary>
    public List<TokenChunk> Chunks(Data.EhrDataset data, IReadOnlyList<int> patients, Random? order) =>
        Cut([.. patients.Select(p => Sentence(p, data.GetCodes(p), order))]);

    private List<TokenChunk> Cut(int[][] unsorted)
    {
        var sentences = unsorted.OrderBy(s => s.Length).ToArray();
        var chunks = new List<TokenChunk>();
        int first = 0;
        foreach (int count in ChunkPartition.Rows([.. sentences.Select(s => s.Length - 1)]))
        {
            chunks.Add(Pad(sentences.AsSpan(first, count)));
            first += count;
        }

        return chunks;
    }

    /// <summary>Sentences as inputs and next-token targets padded to the longest (−100 targets past each end).</summary>
    private TokenChunk Pad(ReadOnlySpan<int[]> rows)
    {
        int length = 0;
        foreach (var s in rows)
        {
            length = Math.Max(length, s.Length - 1);
        }

        var inputs = new long[rows.Length * length];
        var targets = new long[rows.Length * length];
        long tokens = 0;
        for (int b = 0; b < rows.Length; b++)
        {
            var s = rows[b];
            for (int t = 0; t < length; t++)
            {
                bool inside = t + 1 < s.Length;
                inputs[(b * length) + t] = t < s.Length ? s[t] : parts.Tokenizer.PadToken;
                targets[(b * length) + t] = inside ? s[t + 1] : -100;
                tokens += inside ? 1 : 0;
            }
        }

        return new TokenChunk(inputs, targets, rows.Length, length, tokens);
    }
}
