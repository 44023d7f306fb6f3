using EhrSynth.Generators.Metrics.Fidelity;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Testing;
using SkiaSharp;

namespace EhrSynth.Generators.Reporting.Tests;

public class ComparisonReportTests
{
    private static SuiteReport SmallReport()
    {
        var data = Fixtures.Structured(patients: 500, codes: 16, seed: 1);
        var (train, holdout) = data.Split(0.8, seed: 2);
        return MetricSuite.CreateFidelity().Compare(train, holdout, [new SyntheticSet("copy", train.Sample(100, 3))], new ComparisonOptions { Seed = 1 });
    }

    [Fact]
    public void Write_CreatesReadableFiguresAndMarkdown()
    {
        var report = SmallReport();
        using var dir = new TempDirectory();
        var md = ComparisonReport.Write(dir.File("out"), report, new ReportContext("Test report", ["tiny data"]));
        var text = File.ReadAllText(md);
        Assert.Contains("# Test report", text, StringComparison.Ordinal);
        Assert.Contains("| copy |", text, StringComparison.Ordinal);
        Assert.Contains("Independent marginals (floor)", text, StringComparison.Ordinal);
        Assert.Contains("mean \\|prevalence error\\|", text, StringComparison.Ordinal);   // pipes escaped inside tables
        Assert.Contains("![Fig. 1](fig1-prevalence.png)", text, StringComparison.Ordinal);

        foreach (var png in new[] { ComparisonReport.PrevalenceFigure, ComparisonReport.CovarianceFigure })
        {
            using var bitmap = SKBitmap.Decode(dir.File("out/" + png));
            Assert.NotNull(bitmap);
            Assert.Equal(3 * 480, bitmap.Width);   // four panels, three to a row: floor, pairwise reference, copy; ceiling
            Assert.Equal(2 * 380, bitmap.Height);
            int dark = 0;
            for (int y = 0; y < bitmap.Height; y += 3)
            {
                for (int x = 0; x < bitmap.Width; x += 3)
                {
                    var c = bitmap.GetPixel(x, y);
                    dark += c.Red + c.Green + c.Blue < 300 ? 1 : 0;
                }
            }

            Assert.True(dark > 500, $"{png} looks blank ({dark} dark samples)");
        }
    }

    [Fact]
    public void Figures_WithoutTheirMetric_Throw()
    {
        var data = Fixtures.Structured(patients: 100, codes: 8, seed: 1);
        var (train, holdout) = data.Split(0.5, seed: 2);
        var report = new MetricSuite([new RecordLengthMetric()]).Compare(train, holdout, []);
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentException>(() => ComparisonFigures.SavePrevalenceScatter(report, dir.File("a.png")));
        Assert.False(File.Exists(dir.File("a.png")));
    }
}
