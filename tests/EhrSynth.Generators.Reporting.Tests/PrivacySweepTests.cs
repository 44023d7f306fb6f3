using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Testing;
using SkiaSharp;

namespace EhrSynth.Generators.Reporting.Tests;

/// <summary>The privacy sweep's table and figure (utility and leakage against ε).</summary>
public class PrivacySweepTests
{
    private static Dictionary<string, (double Mean, double Sd)> Values(double cov, double bigram, double auc, double sd = 0.01) => new()
    {
        ["normalized_cov_error"] = (cov, sd),
        ["bigram_r2"] = (bigram, sd),
        ["overlap_ks"] = (1, sd),
        ["auc"] = (auc, sd),
        ["copy_rate_4plus"] = (0.012, sd),
    };

    private static List<PrivacySweepRow> HandRows() =>
    [
        new("Independent marginals", RowKind.Floor, null, Values(0.83, 0.83, 0.5)),
        new("VAE (DP ε = 1)", RowKind.Model, new PrivacyPoint("VAE", 1), Values(1.2, 0.82, 0.499)),
        new("VAE", RowKind.Model, new PrivacyPoint("VAE", null), Values(0.76, 0.89, 0.501)),
        new("VAE (DP ε = 8)", RowKind.Model, new PrivacyPoint("VAE", 8), Values(1.1, 0.824, 0.498, double.NaN)),
        new("EHRDiff (DP ε = 8)", RowKind.Model, new PrivacyPoint("EHRDiff", 8), Values(2.2, 0.3, 0.497)),
        new("EHRDiff", RowKind.Model, new PrivacyPoint("EHRDiff", null), Values(0.8, 0.92, 0.498)),
        new("Real train", RowKind.Ceiling, null, Values(0.54, 0.98, 0.73)),
    ];

    [Fact]
    public void Table_GroupsEachFamilyFromNonPrivateDownToTheSmallestEpsilon()
    {
        string[] lines = PrivacySweep.FormatMarkdown(HandRows()).TrimEnd().Split('\n');
        Assert.Equal("| model | ε | norm. cov err | bigram R² | Fig.2 KS | MIA AUC | copies≥4 |", lines[0].TrimEnd());
        Assert.Equal(
            ["Independent marginals (floor)", "VAE", "VAE (DP ε = 8)", "VAE (DP ε = 1)", "EHRDiff", "EHRDiff (DP ε = 8)", "Real train (ceiling)"],
            lines.Skip(2).Select(l => l.Split('|')[1].Trim()));
        Assert.Equal("| VAE | ∞ (non-private) | 0.760 ± 0.010 | 0.890 ± 0.010 | 1.000 ± 0.010 | 0.501 ± 0.010 | 0.012 ± 0.010 |", lines[3].TrimEnd());
        Assert.Equal("| VAE (DP ε = 8) | 8 | 1.100 | 0.824 | 1.000 | 0.498 | 0.012 |", lines[4].TrimEnd());   // one seed: the mean alone
    }

    [Fact]
    public void Rows_TakeTheSweepsModelsOnly_WithTheirPoints()
    {
        var data = Fixtures.Structured(patients: 300, codes: 12, seed: 1);
        var runs = new List<SeedRun>();
        foreach (int seed in new[] { 1, 2 })
        {
            var (train, holdout) = data.Split(0.8, seed);
            runs.Add(new SeedRun(seed, MetricSuite.CreateFidelity().Compare(train, holdout,
                [new SyntheticSet("a", train.Sample(60, seed)), new SyntheticSet("a (DP ε = 3)", train.Sample(60, seed + 10)), new SyntheticSet("other", train.Sample(60, seed + 20))],
                new ComparisonOptions { Seed = seed })));
        }

        var sweep = new SeedSweepReport(runs);
        var rows = PrivacySweep.Rows(sweep, new Dictionary<string, PrivacyPoint> { ["a"] = new("a", null), ["a (DP ε = 3)"] = new("a", 3) });
        Assert.Equal(["Independent marginals", "Pairwise tree (Chow–Liu)", "a", "a (DP ε = 3)", "Real train"], rows.Select(r => r.Name));
        Assert.Equal(3, rows[3].Point!.Epsilon);
        var (mean, sd, _) = sweep.Statistic("a (DP ε = 3)", "Co-occurrence", "bigram_r2");
        Assert.Equal((mean, sd), rows[3].Values["bigram_r2"]);
    }

    [Fact]
    public void Figure_HasThreePanels_AndNeedsAPrivateRow()
    {
        using var dir = new TempDirectory();
        PrivacySweep.SaveFigure(HandRows(), dir.File("privacy.png"));
        using var bitmap = SKBitmap.Decode(dir.File("privacy.png"));
        Assert.Equal((3 * 480, 380), (bitmap.Width, bitmap.Height));

        var nonPrivate = HandRows().Where(r => r.Point?.Epsilon is null).ToList();
        Assert.Throws<ArgumentException>(() => PrivacySweep.SaveFigure(nonPrivate, dir.File("none.png")));
        Assert.False(File.Exists(dir.File("none.png")));
    }
}
