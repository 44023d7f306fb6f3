using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Fidelity;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Metrics.Tests;

public class FidelityMetricTests
{
    private static readonly CodeVocabulary Abcd = new(["a", "b", "c", "d"]);

    private static EhrDataset Records(params string[][] rows) =>
        EhrDataset.FromRecords(rows.Select((r, i) => new PatientRecord($"p{i}", r)), Abcd);

    [Fact]
    public void DimensionWise_HandComputed()
    {
        // Real prevalence (0.5, 0.5, 0.25, 0); synthetic (1, 0.5, 0, 0).
        var real = Records(["a", "b"], ["a", "c"], ["b"], []);
        var syn = Records(["a", "b"], ["a"]);
        var r = new DimensionWiseDistributionMetric().Evaluate(real, syn);
        double[] pr = [0.5, 0.5, 0.25, 0], ps = [1, 0.5, 0, 0];
        Assert.Equal(NaiveStatistics.Pearson(pr, ps), r["pearson"], 12);
        // Ranks real (3.5, 3.5, 2, 1), synthetic (4, 3, 1.5, 1.5).
        Assert.Equal(NaiveStatistics.Pearson([3.5, 3.5, 2, 1], [4, 3, 1.5, 1.5]), r["spearman"], 12);
        // r2: SS_res = 0.25 + 0 + 0.0625 + 0 = 0.3125; SS_tot around 0.3125 mean: 0.03515625·2 + 0.00390625 + 0.09765625 = 0.171875.
        Assert.Equal(1 - (0.3125 / 0.171875), r["r2"], 12);
        Assert.Equal((0.5 + 0 + 0.25 + 0) / 4, r["mae"], 12);
        Assert.Equal(0.25, r["mae_common"], 12);       // a, b, c are ≥ 1 %
        Assert.Equal(0.0, r["mae_rare"], 12);          // d has prevalence 0
        Assert.True(double.IsNaN(r["mae_uncommon"]));  // no code in 0.1–1 %
        Assert.Equal(1, r["never_generated"]);         // c
        var scatter = r.FindSeries("prevalence")!;
        Assert.Equal(pr, scatter.X);
        Assert.Equal(ps, scatter.Y);
    }

    [Fact]
    public void DimensionWise_EmptyOutput_IsNaNWithANoteNotACrash()
    {
        var real = Records(["a", "b"], ["c"]);
        var r = new DimensionWiseDistributionMetric().Evaluate(real, Records([], []));
        Assert.True(double.IsNaN(r["pearson"]));
        Assert.True(double.IsNaN(r["spearman"]));
        Assert.Contains(r.Notes, n => n.Contains("constant", StringComparison.Ordinal));
        Assert.Equal(3, r["never_generated"]);
    }

    [Fact]
    public void Metrics_RejectEmptyDatasets()
    {
        var empty = EhrDataset.FromRecords([], Abcd);
        var one = Records(["a"]);
        foreach (var metric in new IUtilityMetric[] { new DimensionWiseDistributionMetric(), new CooccurrenceMetric(), new RecordLengthMetric(), new CovarianceResamplingMetric() })
        {
            Assert.Contains("real dataset is empty", Assert.Throws<ArgumentException>(() => metric.Evaluate(empty, one)).Message);
            Assert.Contains("synthetic dataset is empty", Assert.Throws<ArgumentException>(() => metric.Evaluate(one, empty)).Message);
        }
    }

    [Fact]
    public void Alignment_ByCodeString_AndFailOptionListsCodes()
    {
        var real = Records(["a", "b"], ["c"], ["a"]);
        var reordered = EhrDataset.FromRecords([new PatientRecord("s0", ["b", "a"]), new PatientRecord("s1", ["c"]), new PatientRecord("s2", ["a"])], new CodeVocabulary(["c", "b", "a", "d"]));
        var m = new DimensionWiseDistributionMetric();
        Assert.Equal(1.0, m.Evaluate(real, reordered)["pearson"], 12);

        var foreign = EhrDataset.FromRecords([new PatientRecord("s0", ["a", "zz"])], new CodeVocabulary(["a", "zz"]));
        var r = m.Evaluate(real, foreign);
        Assert.Contains(r.Notes, n => n.Contains("1 synthetic code occurrence", StringComparison.Ordinal));
        var e = Assert.Throws<ArgumentException>(() => m.Evaluate(real, foreign, new EvaluationContext { FailOnUnknownCodes = true }));
        Assert.Contains("zz", e.Message);
    }

    [Fact]
    public void Cooccurrence_HandComputed()
    {
        // Real pairs: ab 2/4, ac 1/4, bc 1/4. Synthetic pairs: ab 1/2, bd 1/2 (n = 2).
        var real = Records(["a", "b"], ["a", "b", "c"], ["c"], []);
        var syn = Records(["a", "b"], ["b", "d"]);
        var r = new CooccurrenceMetric().Evaluate(real, syn);
        double[] t = [0.5, 0.25, 0.25, 0], p = [0.5, 0, 0, 0.5];   // union of keys: ab, ac, bc, bd
        double mean = t.Average();
        double expected = 1 - (t.Zip(p).Sum(x => (x.First - x.Second) * (x.First - x.Second)) / t.Sum(x => (x - mean) * (x - mean)));
        Assert.Equal(expected, r["bigram_r2"], 12);
        Assert.Equal(3, r["pairs_real"]);
        Assert.Equal(2, r["pairs_synthetic"]);
        Assert.Equal(Naive.Mae(Naive.Covariance(real), Naive.Covariance(syn)), r["covariance_mae"], 12);
    }

    [Fact]
    public void RecordLength_HandComputed()
    {
        var real = Records(["a"], ["b"], ["a", "b"]);
        var syn = Records(["a", "b"], ["c", "d"], ["a", "b", "c"]);
        var r = new RecordLengthMetric().Evaluate(real, syn);
        Assert.Equal(1.0, r["wasserstein"], 12);
        Assert.Equal(2.0 / 3, r["tv_distance"], 12);
        Assert.Equal(3, r["max_synthetic"]);
    }

    [Fact]
    public void Validity_CountsEmptiesDuplicatesAndModeCollapse()
    {
        var real = Records(["a"], ["b"], ["a", "b"], ["c"], ["d"]);
        var syn = Records(["a"], ["a"], ["a"], []);
        var r = new ValidityDiversityMetric().Evaluate(real, syn, new EvaluationContext { Generation = new Generation.GenerationReport { InvalidRecords = 7 } });
        Assert.Equal(0.25, r["empty_rate"]);
        Assert.Equal(2, r["distinct_records"]);
        Assert.Equal(0.75, r["mode_share"]);
        Assert.Equal(0.2, r["real_mode_share"]);
        Assert.Equal(7, r["invalid_records"]);
        Assert.Contains(r.Notes, n => n.Contains("mode collapse", StringComparison.Ordinal));
    }

    [Fact]
    public void CovarianceResampling_RanksDegenerateOutputsBad()
    {
        var population = Fixtures.Structured(patients: 4000, codes: 20, seed: 9);
        var (real, other) = population.Split(0.5, seed: 1);
        var metric = new CovarianceResamplingMetric();
        var good = metric.Evaluate(real, other);
        var empty = metric.Evaluate(real, EhrDataset.FromRecords(Enumerable.Range(0, 2000).Select(i => new PatientRecord($"e{i}", [])), real.Vocabulary));
        var collapsed = metric.Evaluate(real, EhrDataset.FromRecords(Enumerable.Range(0, 2000).Select(i => new PatientRecord($"c{i}", ["C000"])), real.Vocabulary));

        Assert.Equal(1.0, empty["normalized_cov_error"], 12);   // emitting nothing
        Assert.Equal(1.0, empty["overlap_ks"]);
        Assert.Equal(0.0, empty["mae_syn"]);
        Assert.True(collapsed["overlap_ks"] > 0.9);
        Assert.True(good["overlap_ks"] < 0.5, $"real vs real: {good["overlap_ks"]}");
        Assert.InRange(good["cross_over_real"], 0.9, 1.1);
        Assert.True(good["normalized_cov_error"] < collapsed["normalized_cov_error"]);
        Assert.Equal(3, good.Series.Count);
        Assert.Equal(45, good.FindSeries("mae_real")!.Y.Count);
        Assert.Equal(100, good.FindSeries("mae_cross")!.Y.Count);
    }

    [Fact]
    public void CovarianceResampling_SubsamplesToEqualSizeAndSaysSo()
    {
        var real = Fixtures.Random(300, 10, 0.2, seed: 1);
        var syn = Fixtures.Random(120, 10, 0.2, seed: 2);
        var r = new CovarianceResamplingMetric().Evaluate(real, syn);
        Assert.Equal(12, r["group_size"]);
        Assert.Contains(r.Notes, n => n.Contains("subsampled to 120", StringComparison.Ordinal));
    }

    [Fact]
    public void CovarianceResampling_MoreGroupsThanPatients_IsNotComputedAndSaysWhy()
    {
        var real = Fixtures.Random(30, 5, 0.3, seed: 1);
        var r = new CovarianceResamplingMetric(groups: 10).Evaluate(real, real.Sample(8, 1));
        Assert.False(r.IsComputed);
        Assert.Empty(r.Values);
        Assert.Equal("10 groups need at least 10 patients per side; the smaller side has 8", r.NotComputedReason);
        Assert.Throws<InvalidOperationException>(() => r.Headline);
        Assert.Contains("not computed", Assert.Throws<KeyNotFoundException>(() => r["overlap_ks"]).Message, StringComparison.Ordinal);
        Assert.True(new CovarianceResamplingMetric(groups: 8).Evaluate(real, real.Sample(8, 1)).IsComputed);   // the boundary
    }

    [Fact]
    public void SuiteReport_ANotComputedMetric_ShowsNcAndItsReason_AndKeepsEveryOtherValue()
    {
        var real = Fixtures.Random(30, 5, 0.3, seed: 1);
        var suite = MetricSuite.CreateFidelity();
        var small = suite.Evaluate("small", RowKind.Model, real, real.Sample(4, 1));
        var large = suite.Evaluate("large", RowKind.Model, real, real.Sample(20, 2));
        var report = new SuiteReport([small, large]);

        var cells = report.Cells();
        int cov = Array.IndexOf(cells[0], "norm. cov err");
        int pearson = Array.IndexOf(cells[0], "Pearson");
        Assert.Equal("n/c", cells[1][cov]);
        Assert.NotEqual("n/c", cells[2][cov]);
        Assert.NotEqual("n/a", cells[1][pearson]);
        Assert.Equal(["Covariance resampling (small): 10 groups need at least 10 patients per side; the smaller side has 4"], report.NotComputed());
        Assert.Contains("not computed: Covariance resampling (small)", report.FormatText(), StringComparison.Ordinal);
        Assert.Contains("- Not computed (n/c): Covariance resampling (small)", report.FormatMarkdown(), StringComparison.Ordinal);

        var sweep = new SeedSweepReport([new SeedRun(1, report), new SeedRun(2, new SuiteReport([small, small with { Name = "large" }]))]);
        Assert.Equal("n/c", sweep.Cells()[1][cov]);
        Assert.Equal(cells[2][cov], sweep.Cells()[2][cov].Split(' ')[0]);   // computed on seed 1 only: that value
        Assert.Equal(["Covariance resampling (small seed 1, 2, large seed 2): 10 groups need at least 10 patients per side; the smaller side has 4"], sweep.NotComputed());
    }

    [Fact]
    public void CovarianceResampling_NormalizedErrorMatchesNaive()
    {
        var real = Fixtures.Random(400, 12, 0.2, seed: 1);
        var syn = Fixtures.Random(400, 12, 0.25, seed: 2);
        var cr = Naive.Covariance(real);
        var cs = Naive.Covariance(syn);
        double meanAbs = 0;
        foreach (double v in cr)
        {
            meanAbs += Math.Abs(v) / cr.Length;
        }

        Assert.Equal(Naive.Mae(cr, cs) / meanAbs, new CovarianceResamplingMetric().Evaluate(real, syn)["normalized_cov_error"], 9);
    }
}
