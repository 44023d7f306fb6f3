using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Fidelity;

namespace EhrSynth.Generators.Metrics.Tests;

public class MatrixLimitTests
{
    [Fact]
    public void PairwiseMetrics_RefuseBeforeAllocating_NamingCodesMemoryAndLimit()
    {
        var vocabulary = new CodeVocabulary(Enumerable.Range(0, 100_000).Select(i => $"C{i}"));
        var builder = new EhrDatasetBuilder(vocabulary);
        for (int p = 0; p < 12; p++)
        {
            builder.AddPatient($"p{p}", [p, p + 1]);
        }

        var data = builder.Build();
        long before = GC.GetTotalAllocatedBytes();
        var cov = Assert.Throws<InvalidDataException>(() => new CovarianceResamplingMetric(groups: 2).Evaluate(data, data));
        var co = Assert.Throws<InvalidDataException>(() => new CooccurrenceMetric().Evaluate(data, data));
        Assert.True(GC.GetTotalAllocatedBytes() - before < 200L << 20, "the refusal allocated the matrices first");
        foreach (var e in new[] { cov, co })
        {
            Assert.Contains("100,000 codes", e.Message, StringComparison.Ordinal);
            Assert.Contains("GB", e.Message, StringComparison.Ordinal);
            Assert.Contains("MaxMatrixBytes", e.Message, StringComparison.Ordinal);
        }

        // A higher limit is the caller's choice; a smaller vocabulary fits the default.
        var small = new EhrDatasetBuilder(new CodeVocabulary(Enumerable.Range(0, 30).Select(i => $"C{i}")));
        for (int p = 0; p < 12; p++)
        {
            small.AddPatient($"p{p}", [p, p + 1]);
        }

        var fits = small.Build();
        Assert.NotNull(new CooccurrenceMetric().Evaluate(fits, fits, new EvaluationContext { MaxMatrixBytes = 1L << 20 }));
        Assert.Throws<InvalidDataException>(() => new CooccurrenceMetric().Evaluate(fits, fits, new EvaluationContext { MaxMatrixBytes = 100 }));
    }
}
