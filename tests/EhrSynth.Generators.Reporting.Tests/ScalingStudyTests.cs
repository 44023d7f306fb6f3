using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Testing;
using SkiaSharp;

namespace EhrSynth.Generators.Reporting.Tests;

/// <summary>The size study's table and figure (quality against parameters and training time).</summary>
public class ScalingStudyTests
{
    private static Dictionary<string, (double Mean, double Sd)> Values(double cov, double bigram, double ks, double pearson) => new()
    {
        ["normalized_cov_error"] = (cov, 0.01),
        ["bigram_r2"] = (bigram, 0.02),
        ["overlap_ks"] = (ks, 0.03),
        ["pearson"] = (pearson, 0.0001),
    };

    private static List<ScalingRow> HandRows() =>
    [
        new("Independent marginals", RowKind.Floor, null, null, null, null, Values(0.83, 0.83, 1, 0.9993)),
        new("LLM (tiny, code)", RowKind.Model, "code", 600_000, 1.5e13, 60, Values(0.78, 0.88, 0.95, 0.9977)),
        new("LLM (small, code)", RowKind.Model, "code", 3_500_000, 9e13, 180, Values(0.74, 0.91, 0.90, 0.9985)),
        new("LLM (tiny, bpe)", RowKind.Model, "bpe", 6_846_080, 2e14, 700, Values(0.80, 0.86, 0.97, 0.9970)),
        new("Real train", RowKind.Ceiling, null, null, null, null, Values(0.54, 0.98, 0.27, 0.9995)),
    ];

    [Fact]
    public void Table_ShowsSizeComputeAndEveryValueAsMeanAndSd()
    {
        string table = ScalingStudy.FormatMarkdown(HandRows());
        string[] lines = table.TrimEnd().Split('\n');
        Assert.Equal(7, lines.Length);
        Assert.Equal("| model | parameters | training FLOPs (est.) | training s | norm. cov err | bigram R² | Fig.2 KS | Pearson |", lines[0].TrimEnd());
        Assert.Equal("| LLM (tiny, bpe) | 6,846,080 | 2.00e14 | 700 | 0.800 ± 0.010 | 0.860 ± 0.020 | 0.970 ± 0.030 | 0.9970 ± 0.0001 |", lines[5].TrimEnd());
        Assert.Equal("| Independent marginals (floor) |  |  |  | 0.830 ± 0.010 | 0.830 ± 0.020 | 1.000 ± 0.030 | 0.9993 ± 0.0001 |", lines[2].TrimEnd());
    }

    [Fact]
    public void Rows_TakeMeansOverSeedsAndOnlyTheStudysModels()
    {
        var data = Fixtures.Structured(patients: 300, codes: 12, seed: 1);
        var runs = new List<SeedRun>();
        foreach (int seed in new[] { 1, 2 })
        {
            var (train, holdout) = data.Split(0.8, seed);
            runs.Add(new SeedRun(seed, MetricSuite.CreateFidelity().Compare(train, holdout,
                [new SyntheticSet("a", train.Sample(60, seed)), new SyntheticSet("b", train.Sample(60, seed + 10))], new ComparisonOptions { Seed = seed })));
        }

        var sweep = new SeedSweepReport(runs);
        var rows = ScalingStudy.Rows(sweep,
            [("a", 10, new TrainingCost(100, 1_000, TrainingUnit.Tokens)), ("a", 20, new TrainingCost(100, 3_000, TrainingUnit.Tokens)), ("b", 5, null)],
            new Dictionary<string, string> { ["a"] = "series" });

        Assert.Equal([RowKind.Floor, RowKind.Reference, RowKind.Model, RowKind.Ceiling], rows.Select(r => r.Kind));
        var a = rows[2];
        Assert.Equal(("a", "series", 100L), (a.Name, a.Series, a.Parameters!.Value));
        Assert.Equal(6.0 * 100 * 2_000, a.TrainingFlops);     // the mean of 6·N·D over the two seeds
        Assert.Equal(15, a.TrainingSeconds);
        var (mean, sd, _) = sweep.Statistic("a", "Co-occurrence", "bigram_r2");
        Assert.Equal((mean, sd), a.Values["bigram_r2"]);
    }

    [Fact]
    public void Figure_HasSixPanels_AndNeedsAModelWithASize()
    {
        using var dir = new TempDirectory();
        ScalingStudy.SaveFigure(HandRows(), dir.File("scaling.png"));
        using var bitmap = SKBitmap.Decode(dir.File("scaling.png"));
        Assert.Equal((3 * 480, 2 * 380), (bitmap.Width, bitmap.Height));

        var noSizes = HandRows().Select(r => r with { Parameters = null }).ToList();
        Assert.Throws<ArgumentException>(() => ScalingStudy.SaveFigure(noSizes, dir.File("none.png")));
        Assert.False(File.Exists(dir.File("none.png")));
    }
}
