using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Fidelity;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Metrics.Tests;

/// <summary>Synthetic data in parts evaluates to the same numbers as the parts put together.</summary>
public class ShardedEvaluationTests
{
    [Theory]
    [InlineData(700, 300)]     // more synthetic than real: the synthetic side is size-matched across parts
    [InlineData(200, 300)]     // fewer: the real side is
    [InlineData(300, 300)]
    public void Parts_GiveTheWholesNumbers_DigitForDigit(int syntheticPatients, int realPatients)
    {
        var real = Fixtures.Structured(patients: realPatients, codes: 20, seed: 3);
        var synthetic = Fixtures.Structured(patients: syntheticPatients, codes: 20, seed: 8);
        int[] cuts = [0, syntheticPatients / 7, syntheticPatients / 3, (syntheticPatients * 3) / 4, syntheticPatients];
        var parts = Enumerable.Range(0, 4).Select(i => (Func<EhrDataset>)(() => synthetic.Subset([.. Enumerable.Range(cuts[i], cuts[i + 1] - cuts[i])]))).ToList();
        var context = new EvaluationContext { Seed = 4, MaxDegreeOfParallelism = 2 };

        var sharded = ShardedEvaluation.Evaluate(real, parts, context);
        IUtilityMetric[] metrics = [new DimensionWiseDistributionMetric(), new CovarianceResamplingMetric(), new CooccurrenceMetric(), new RecordLengthMetric()];
        Assert.Equal(metrics.Select(m => m.Name), sharded.Select(r => r.MetricName));
        for (int i = 0; i < metrics.Length; i++)
        {
            var whole = metrics[i].Evaluate(real, synthetic, context);
            Assert.Equal(whole.Values.Select(v => v.Key), sharded[i].Values.Select(v => v.Key));
            foreach (var value in whole.Values)
            {
                Assert.True(value.Value.Equals(sharded[i][value.Key]), $"{metrics[i].Name} {value.Key}: whole {value.Value:R}, parts {sharded[i][value.Key]:R}");
            }
        }
    }

    [Fact]
    public void APartOverAnotherVocabulary_IsAlignedLikeTheWhole_AndAnEmptyListIsRefused()
    {
        var real = Fixtures.Structured(patients: 100, codes: 12, seed: 1);
        var other = new EhrDatasetBuilder(new CodeVocabulary(["C000", "C001", "X"]), "s-");
        other.AddPatient([0, 1, 2]);
        other.AddPatient([1]);
        var results = ShardedEvaluation.Evaluate(real, [() => Fixtures.Structured(patients: 50, codes: 12, seed: 2), other.Build]);
        Assert.Contains(results[0].Notes, n => n.StartsWith("Part 2: 1 synthetic code occurrence(s) outside the real vocabulary were dropped", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => ShardedEvaluation.Evaluate(real, []));
    }
}
