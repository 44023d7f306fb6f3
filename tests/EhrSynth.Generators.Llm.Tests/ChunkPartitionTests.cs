using EhrSynth.Generators.Llm.Training;

namespace EhrSynth.Generators.Llm.Tests;

public class ChunkPartitionTests
{
    private static long Cost(IReadOnlyList<int> lengths, int[] rows)
    {
        long cost = 0;
        int end = 0;
        foreach (int r in rows)
        {
            end += r;
            cost += ChunkPartition.PassCostTokens + ((long)r * lengths[end - 1]);
        }

        return cost;
    }

    [Fact]
    public void ShortRecordsShareOneWideChunk_AndTheLongTailGetsItsOwn()
    {
        // By hand: 200 rows of 2 tokens and 10 of 40. One chunk would be 210 × 40 = 8,400 padded tokens (and exceeds
        // the 64 × 40 = 2,560 bound); cutting at the length change costs 2 × 200 + 400 + 400 = 1,200.
        int[] lengths = [.. Enumerable.Repeat(2, 200), .. Enumerable.Repeat(40, 10)];
        int[] rows = ChunkPartition.Rows(lengths);
        Assert.Equal([200, 10], rows);
        Assert.Equal(1_200, Cost(lengths, rows));
    }

    [Fact]
    public void NoChunkHoldsMoreThan64RowsOfTheLongestInput()
    {
        // 100 rows of 5 tokens would be cheapest as one chunk (200 + 500), but the bound is 64 × 5 = 320 tokens.
        int[] lengths = [.. Enumerable.Repeat(5, 100)];
        int[] rows = ChunkPartition.Rows(lengths);
        Assert.Equal(100, rows.Sum());
        Assert.All(rows, r => Assert.True(r * 5 <= 64 * 5));
        Assert.Equal(2, rows.Length);
        Assert.Empty(ChunkPartition.Rows([]));
        Assert.Equal([1], ChunkPartition.Rows([0]));
    }

    [Fact]
    public void Cost_EqualsTheBestOfEveryPartition_ByBruteForce()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = rng.Next(1, 13);
            int[] lengths = [.. Enumerable.Range(0, n).Select(_ => rng.Next(1, trial % 2 == 0 ? 400 : 8)).Order()];
            long cap = 64L * lengths[^1];
            long best = long.MaxValue;
            for (int mask = 0; mask < 1 << (n - 1); mask++)
            {
                // Bit i set: a cut after row i.
                long cost = 0;
                int start = 0;
                bool fits = true;
                for (int i = 0; i < n; i++)
                {
                    if (i == n - 1 || (mask & (1 << i)) != 0)
                    {
                        long padded = (long)(i + 1 - start) * lengths[i];
                        fits &= padded <= cap;
                        cost += ChunkPartition.PassCostTokens + padded;
                        start = i + 1;
                    }
                }

                if (fits)
                {
                    best = Math.Min(best, cost);
                }
            }

            int[] rows = ChunkPartition.Rows(lengths);
            Assert.Equal(n, rows.Sum());
            Assert.Equal(best, Cost(lengths, rows));
        }
    }
}
