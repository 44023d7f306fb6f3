namespace EhrSynth.Generators.Llm.Training;

/// <summary>
/// Where to cut a batch of length-sorted sentences into padded chunks. Each chunk costs one forward and backward pass
/// (a fixed price, <see cref="PassCostTokens"/>) plus its padded tokens (rows × its longest input); the partition
/// minimises the total by dynamic programming, so a batch of short records becomes one or two wide chunks and the long
/// tail its own narrow ones. No chunk holds more padded tokens than <see cref="TokenChunker.ChunkRows"/> rows of the
/// batch's longest input, the memory bound of fixed 64-row chunks. The loss does not depend on the cut (it is the sum
/// over chunks of the same per-token terms); only the speed and the order of floating-point sums do.
/// </summary>
internal static class ChunkPartition
{
    /// <summary>
    /// The fixed price of one more chunk, in padded tokens: measured for the quick preset's tiny GPT on 2 CPU cores,
    /// where a pass costs about 10 ms and a padded token about 50 µs (docs/results-archive.md#llm).
    /// </summary>
    public const int PassCostTokens = 200;

    /// <summary>The longest window of rows the search considers for one chunk (keeps it linear in the batch size).</summary>
    private const int MaxWindow = 4_096;

    /// <summary>The row count of each chunk, in order, for inputs of the given lengths (ascending).</summary>
    /// <param name="lengths">Each row's input length (tokens before padding), sorted ascending.</param>
    public static int[] Rows(IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        int n = lengths.Count;
        if (n == 0)
        {
            return [];
        }

        long cap = (long)TokenChunker.ChunkRows * Math.Max(1, lengths[n - 1]);
        var best = new long[n + 1];
        var start = new int[n + 1];
        for (int j = 1; j <= n; j++)
        {
            // The chunk that ends at row j − 1 is padded to that row's length; try every start it can have.
            long width = Math.Max(1, lengths[j - 1]);
            int earliest = Math.Max(0, j - (int)Math.Min(Math.Min(cap / width, MaxWindow), j));
            best[j] = long.MaxValue;
            for (int i = Math.Min(earliest, j - 1); i < j; i++)
            {
                long cost = best[i] + PassCostTokens + ((j - i) * width);
                if (cost < best[j])
                {
                    (best[j], start[j]) = (cost, i);
                }
            }
        }

        var rows = new List<int>();
        for (int j = n; j > 0; j = start[j])
        {
            rows.Add(j - start[j]);
        }

        rows.Reverse();
        return [.. rows];
    }
}
