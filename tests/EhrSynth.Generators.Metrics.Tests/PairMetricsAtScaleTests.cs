using EhrSynth.Generators.Data;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Fidelity;
using EhrSynth.Generators.Metrics.Kernels;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Metrics.Tests;

/// <summary>
/// The pair metrics without D × D matrices (<see cref="PairStatistics"/>, <see cref="SparseCovariance"/>) against
/// dense float64 matrices built the naive way, on the fixtures; merged statistics against the whole; and a vocabulary
/// far past the old 2 GiB refusal.
/// </summary>
public class PairMetricsAtScaleTests
{
    public static TheoryData<string> Fixtures_ => ["structured", "random", "mimic"];

    private static (EhrDataset Real, EhrDataset Synthetic) Pair(string name) => name switch
    {
        "structured" => (Fixtures.Structured(patients: 300, codes: 20, seed: 3), Fixtures.Structured(patients: 300, codes: 20, seed: 4)),
        "random" => (Fixtures.Random(patients: 200, codes: 15, p: 0.3, seed: 1), Fixtures.Random(patients: 200, codes: 15, p: 0.2, seed: 2)),
        _ => Halves(EhrDatasets.MimicIIIDemo()),
    };

    private static (EhrDataset, EhrDataset) Halves(EhrDataset data) =>
        (data.Subset([.. Enumerable.Range(0, data.PatientCount / 2)]), data.Subset([.. Enumerable.Range(data.PatientCount / 2, data.PatientCount / 2)]));

    [Theory]
    [MemberData(nameof(Fixtures_))]
    public void CovarianceErrors_EqualDenseMatrices_To1e12(string fixture)
    {
        var (real, synthetic) = Pair(fixture);
        double dense = Naive.Mae(Naive.Covariance(real), Naive.Covariance(synthetic));
        double denseAbs = Naive.Mae(Naive.Covariance(real), new double[real.CodeCount, real.CodeCount]);
        var co = new CooccurrenceMetric().Evaluate(real, synthetic);
        Assert.Equal(dense, co["covariance_mae"], 1e-12);

        var cov = new CovarianceResamplingMetric().Evaluate(real, synthetic, new EvaluationContext { Seed = 5 });
        Assert.Equal(dense / denseAbs, cov["normalized_cov_error"], 1e-12 * Math.Max(1, dense / denseAbs));   // to 1e-12, relative above 1

        // Fig. 2: the groups as the metric draws them (a seeded permutation of each side), their covariance MAEs dense.
        // Fisher–Yates with Random(seed), as EhrDataset's documented permutation.
        static int[] Permutation(int n, int seed)
        {
            int[] order = [.. Enumerable.Range(0, n)];
            var rng = new Random(seed);
            for (int i = n - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            return order;
        }

        double[][,] Groups(EhrDataset data, int seed)
        {
            var order = Permutation(data.PatientCount, seed);
            return [.. Enumerable.Range(0, 10).Select(g => Naive.Covariance(data.Subset(order.AsSpan((int)((long)order.Length * g / 10), (int)((long)order.Length * (g + 1) / 10) - (int)((long)order.Length * g / 10)))))];
        }

        var rg = Groups(real, 5 + 2);
        var sg = Groups(synthetic, 5 + 3);
        double within = 0, cross = 0;
        for (int a = 0; a < 10; a++)
        {
            for (int b = a + 1; b < 10; b++)
            {
                within += Naive.Mae(rg[a], rg[b]) / 45;
            }

            for (int b = 0; b < 10; b++)
            {
                cross += Naive.Mae(rg[a], sg[b]) / 100;
            }
        }

        Assert.Equal(within, cov["mae_real"], 1e-12);
        Assert.Equal(cross, cov["mae_cross"], 1e-12);
    }

    [Theory]
    [MemberData(nameof(Fixtures_))]
    public void BigramR2_EqualsTheUnionOfPairsCountedNaively(string fixture)
    {
        var (real, synthetic) = Pair(fixture);
        var xr = new List<double>();
        var xs = new List<double>();
        for (int i = 0; i < real.CodeCount; i++)
        {
            for (int j = i + 1; j < real.CodeCount; j++)
            {
                int a = Enumerable.Range(0, real.PatientCount).Count(p => real.HasCode(p, i) && real.HasCode(p, j));
                int b = Enumerable.Range(0, synthetic.PatientCount).Count(p => synthetic.HasCode(p, i) && synthetic.HasCode(p, j));
                if (a > 0 || b > 0)
                {
                    xr.Add((double)a / real.PatientCount);
                    xs.Add((double)b / synthetic.PatientCount);
                }
            }
        }

        double mean = xr.Average();
        double r2 = 1 - (xr.Zip(xs, (x, y) => (x - y) * (x - y)).Sum() / xr.Sum(x => (x - mean) * (x - mean)));
        var co = new CooccurrenceMetric().Evaluate(real, synthetic);
        Assert.Equal(r2, co["bigram_r2"], 1e-12);
        Assert.Equal(xr.Count(x => x > 0), co["pairs_real"]);
    }

    [Fact]
    public void Statistics_OfParts_MergeIntoTheWholes()
    {
        var data = Fixtures.Structured(patients: 500, codes: 20, seed: 9);
        var whole = PairStatistics.Of(data, 1);
        var merged = PairStatistics.Merge(PairStatistics.Merge(
            PairStatistics.Of(data.Subset([.. Enumerable.Range(0, 120)]), 2),
            PairStatistics.Of(data.Subset([.. Enumerable.Range(120, 300)]), 1)),
            PairStatistics.Of(data.Subset([.. Enumerable.Range(420, 80)]), 2));
        Assert.Equal(whole.Patients, merged.Patients);
        Assert.Equal(whole.Counts, merged.Counts);
        Assert.Equal(whole.Keys, merged.Keys);
        Assert.Equal(whole.Pairs, merged.Pairs);
        Assert.Equal(whole.Keys.Length, PairStatistics.Of(data, 4).Keys.Length);
    }

    [Fact]
    public void Statistics_GatheredInTinyChunks_EqualNaiveCounts()
    {
        var data = Fixtures.Random(patients: 300, codes: 25, p: 0.3, seed: 4);
        var naive = new Dictionary<long, long>();
        foreach (var p in Enumerable.Range(0, data.PatientCount))
        {
            var codes = data.GetCodes(p).ToArray();
            for (int a = 0; a < codes.Length; a++)
            {
                for (int b = a + 1; b < codes.Length; b++)
                {
                    long key = ((long)codes[a] * data.CodeCount) + codes[b];
                    naive[key] = naive.GetValueOrDefault(key) + 1;
                }
            }
        }

        foreach (int chunk in new[] { 1, 7, 100, 1 << 24 })                   // 1: every record its own chunk
        {
            var s = PairStatistics.Of(data, 2, 2L << 30, chunk, default);
            Assert.Equal(naive.Keys.Order(), s.Keys);
            Assert.Equal(naive.OrderBy(kv => kv.Key).Select(kv => kv.Value), s.Pairs);
            Assert.Equal(300, s.Patients);
        }
    }

    [Fact]
    public void Statistics_ThatOutgrowTheLimit_AreRefused_NamingThePairsAndTheLimit()
    {
        var data = Fixtures.Random(patients: 300, codes: 25, p: 0.3, seed: 4);
        int distinct = PairStatistics.Of(data).Keys.Length;                    // 300 (all of the 25 · 24 / 2 pairs occur)
        Assert.Equal(distinct, PairStatistics.Of(data, 1, default, maxBytes: distinct * 16L).Keys.Length);   // exactly at the limit

        // Over it, found while gathering (chunks of 7 occurrences): the running distinct pairs are checked after each chunk.
        var e = Assert.Throws<InvalidDataException>(() => PairStatistics.Of(data, 1, (distinct * 16L) - 1, 7, default));
        Assert.Contains("over 25 codes", e.Message, StringComparison.Ordinal);
        Assert.Contains("limit for pair statistics (EvaluationContext.MaxMatrixBytes)", e.Message, StringComparison.Ordinal);

        // One record alone past the limit is refused before anything is allocated, naming the patient.
        e = Assert.Throws<InvalidDataException>(() => PairStatistics.Of(data, 1, default, maxBytes: 16 * 3));
        Assert.Contains("patient 'P", e.Message, StringComparison.Ordinal);

        // The metrics pass EvaluationContext.MaxMatrixBytes; the sharded evaluation checks what it merges.
        Assert.Throws<InvalidDataException>(() => new CooccurrenceMetric().Evaluate(data, data, new EvaluationContext { MaxMatrixBytes = 100 }));
        Assert.Throws<InvalidDataException>(() => ShardedEvaluation.Evaluate(data, [() => data.Subset([.. Enumerable.Range(0, 150)]), () => data.Subset([.. Enumerable.Range(150, 150)])],
            new EvaluationContext { MaxMatrixBytes = (distinct * 16L) - 1 }));
    }

    [Fact]
    public void AHundredThousandCodes_AreEvaluated_InMemoryOfThePairsThatOccur()
    {
        var vocabulary = new CodeVocabulary(Enumerable.Range(0, 100_000).Select(i => $"C{i}"));
        var builder = new EhrDatasetBuilder(vocabulary);
        for (int p = 0; p < 40; p++)
        {
            builder.AddPatient($"p{p}", [p, p + 1, 50_000 + (p % 7)]);
        }

        var data = builder.Build();
        var other = data.Subset([.. Enumerable.Range(0, 40).Reverse()]);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var cov = new CovarianceResamplingMetric(groups: 2).Evaluate(data, other);
        var co = new CooccurrenceMetric().Evaluate(data, other);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64L << 20, "a D × D matrix was allocated");
        Assert.Equal(0, cov["normalized_cov_error"], 12);                        // the same patients in another order
        Assert.Equal(1, co["bigram_r2"], 12);
    }
}
