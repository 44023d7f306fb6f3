using EhrSynth.Generators.Data;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.Metrics.Baselines;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Metrics.Tests;

public class SuiteTests
{
    [Fact]
    public void Compare_AddsFloorAndCeilingRows_AndReportsProgress()
    {
        var data = Fixtures.Structured(patients: 600, codes: 16, seed: 3);
        var (train, holdout) = data.Split(0.8, seed: 1);
        var events = new List<MetricProgress>();
        var suite = MetricSuite.CreateDefault();
        var report = suite.Compare(train, holdout, [new SyntheticSet("copy", train)], new ComparisonOptions { Seed = 4 }, new SyncProgress<MetricProgress>(events.Add));
        Assert.Equal(["Independent marginals", "Pairwise tree (Chow–Liu)", "copy", "Real train"], report.Rows.Select(r => r.Name));
        Assert.Equal([RowKind.Floor, RowKind.Reference, RowKind.Model, RowKind.Ceiling], report.Rows.Select(r => r.Kind));
        Assert.All(report.Rows, r => Assert.Equal(suite.Metrics.Count, r.Results.Count));
        Assert.Equal(4 * suite.Metrics.Count, events.Max(e => e.Done));
        Assert.Equal(1.0, report.Rows[2].Value("Exact copies", "copy_rate"));
        Assert.True(report.Rows[0].Value("Co-occurrence", "bigram_r2") < report.Rows[3].Value("Co-occurrence", "bigram_r2"));
        Assert.True(report.Rows[0].Value("Co-occurrence", "bigram_r2") < report.Rows[1].Value("Co-occurrence", "bigram_r2"));   // pairs beat the floor
        var text = report.FormatText();
        Assert.Contains("Independent marginals (floor)", text, StringComparison.Ordinal);
        Assert.Contains("Real train (ceiling)", text, StringComparison.Ordinal);
        var markdown = report.FormatMarkdown();
        Assert.StartsWith("| model | Pearson |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Suite_RejectsDuplicateMetrics() =>
        Assert.Throws<ArgumentException>(() => new MetricSuite([new Fidelity.RecordLengthMetric(), new Fidelity.RecordLengthMetric()]));

    [Fact]
    public async Task IndependentMarginals_ReproducesPrevalence_IsSeeded_AndRoundTrips()
    {
        var train = Fixtures.Structured(patients: 400, codes: 12, seed: 2);
        using var g = new IndependentMarginalsGenerator(new IndependentMarginalsOptions { Seed = 5 });
        await g.FitAsync(train);
        var a = g.Generate(20_000);
        var pr = train.CodePrevalence();
        var ps = a.CodePrevalence();
        for (int c = 0; c < pr.Length; c++)
        {
            Assert.InRange(ps[c], pr[c] - 0.015, pr[c] + 0.015);
        }

        Assert.Equal(Ids(g.Generate(50, seed: 9)), Ids(g.Generate(50, seed: 9)));
        Assert.NotEqual(Ids(g.Generate(50, seed: 9)), Ids(g.Generate(50, seed: 10)));
        using var dir = new TempDirectory();
        g.Save(dir.File("floor"));
        using var loaded = IndependentMarginalsGenerator.Load(dir.File("floor"), train.Vocabulary);
        Assert.Equal(Ids(g.Generate(50, seed: 3)), Ids(loaded.Generate(50, seed: 3)));
    }

    [Fact]
    public void CoreAndMetrics_DoNotReferenceTorchSharp()
    {
        foreach (var assembly in new[] { typeof(MetricSuite).Assembly, typeof(EhrDataset).Assembly })
        {
            var names = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
            Assert.DoesNotContain(names, n => n.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>The floor and ceiling rows on UCI Diabetes (80/20, seed 1) that docs/metrics.md quotes.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void UciFloorAndCeiling_MatchTheDocumentedNumbers()
    {
        var (train, holdout) = EhrDatasets.UciDiabetes130().Split(0.8, seed: 1);
        var report = MetricSuite.CreateDefault().Compare(train, holdout, [], new ComparisonOptions { Seed = 1 });
        var floor = report.Rows.Single(r => r.Kind == RowKind.Floor);
        var ceiling = report.Rows.Single(r => r.Kind == RowKind.Ceiling);
        var pairwise = report.Rows.Single(r => r.Kind == RowKind.Reference);
        // The pairwise reference (the numpy check of a Chow–Liu tree on UCI, seed 1: 0.741 and 0.933).
        Assert.InRange(pairwise.Value("Covariance resampling", "normalized_cov_error"), 0.72, 0.77);
        Assert.InRange(pairwise.Value("Co-occurrence", "bigram_r2"), 0.91, 0.95);
        Assert.InRange(floor.Value("Dimension-wise distribution", "pearson"), 0.999, 1.0);
        Assert.InRange(floor.Value("Covariance resampling", "normalized_cov_error"), 0.80, 0.85);
        Assert.InRange(ceiling.Value("Covariance resampling", "normalized_cov_error"), 0.50, 0.56);
        Assert.InRange(floor.Value("Co-occurrence", "bigram_r2"), 0.82, 0.86);
        Assert.InRange(ceiling.Value("Co-occurrence", "bigram_r2"), 0.97, 1.0);
        Assert.InRange(ceiling.Value("Covariance resampling", "cross_over_real"), 0.97, 1.02);
        Assert.InRange(floor.Value("Covariance resampling", "cross_over_real"), 1.08, 1.3);
        Assert.InRange(floor.Value("Exact copies", "holdout_copy_rate"), 0.47, 0.51);
    }

    private static string[] Ids(EhrDataset d) => d.Records.Select(r => string.Join(",", r.Codes)).ToArray();

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
