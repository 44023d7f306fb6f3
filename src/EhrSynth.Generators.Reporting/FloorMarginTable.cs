using System.Globalization;
using System.Text;
using EhrSynth.Generators.Metrics.Suite;

namespace EhrSynth.Generators.Reporting;

/// <summary>
/// How each model stands against the floor, seed by seed: its normalised covariance error and bigram R² on every seed
/// beside the floor's, its mean margin ± its own spread, and whether it beat the floor on every seed
/// (<see cref="FloorVerdict"/>). Model rows that do not clear the floor carry <see cref="SeedSweepReport.NotClearedMarker"/>.
/// </summary>
public static class FloorMarginTable
{
    private const string Covariance = "Covariance resampling", CovarianceKey = "normalized_cov_error", CoOccurrence = "Co-occurrence", BigramKey = "bigram_r2";

    /// <summary>The Markdown table; empty when the comparison has no floor row.</summary>
    public static string FormatMarkdown(SeedSweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var floor = report.Rows.FirstOrDefault(r => r.Kind == RowKind.Floor);
        if (floor is null)
        {
            return "";
        }

        var c = CultureInfo.InvariantCulture;
        string seeds = string.Join(" / ", report.Seeds);
        var text = new StringBuilder();
        text.Append(c, $"| model | norm. cov err, seeds {seeds} (floor {PerSeed(report, floor.Name, Covariance, CovarianceKey)}) ")
            .Append(c, $"| bigram R², seeds {seeds} (floor {PerSeed(report, floor.Name, CoOccurrence, BigramKey)}) ")
            .Append("| margin over the floor (cov · bigram), mean ± sd | every seed |\n");
        text.Append("|---|---|---|---|:-:|\n");
        foreach (var row in report.Rows.Where(r => r.Kind == RowKind.Model))
        {
            var verdict = report.Verdict(row.Name);
            string label = verdict is { Clears: false } ? $"{row.Name} {SeedSweepReport.NotClearedMarker}" : row.Name;
            string margin = verdict is null ? "n/a" : string.Create(c,
                $"{verdict.CovarianceMargin:0.000} ± {verdict.CovarianceSpread:0.000} · {verdict.BigramMargin:0.000} ± {verdict.BigramSpread:0.000}");
            string every = verdict is null ? "n/a" : verdict.SeedsBeaten == verdict.Seeds ? "yes" : string.Create(c, $"**no** ({verdict.SeedsBeaten} of {verdict.Seeds})");
            text.Append(c, $"| {label} | {PerSeed(report, row.Name, Covariance, CovarianceKey)} | {PerSeed(report, row.Name, CoOccurrence, BigramKey)} | {margin} | {every} |\n");
        }

        return text.ToString();
    }

    private static string PerSeed(SeedSweepReport report, string row, string metric, string key) =>
        string.Join(" / ", report.Runs.Select(run => run.Report.Rows.First(r => r.Name == row).Value(metric, key) is var v && double.IsNaN(v)
            ? "n/a"
            : v.ToString("F3", CultureInfo.InvariantCulture)));
}
