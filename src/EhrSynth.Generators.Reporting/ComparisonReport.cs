using System.Globalization;
using System.Text;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Metrics.Suite;

namespace EhrSynth.Generators.Reporting;

/// <summary>Writes a comparison as a folder: <c>report.md</c> with every metric, plus the two figures.</summary>
public static class ComparisonReport
{
    /// <summary>File name of the Markdown report.</summary>
    public const string ReportFile = "report.md";

    /// <summary>File name of the Fig. 1 PNG.</summary>
    public const string PrevalenceFigure = "fig1-prevalence.png";

    /// <summary>File name of the Fig. 2 PNG.</summary>
    public const string CovarianceFigure = "fig2-covariance.png";

    /// <summary>Writes <c>report.md</c>, <c>fig1-prevalence.png</c> and <c>fig2-covariance.png</c> into <paramref name="folder"/> (each file atomically).</summary>
    /// <returns>The path of <c>report.md</c>.</returns>
    public static string Write(string folder, SuiteReport report, ReportContext context)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(context);
        Directory.CreateDirectory(folder);
        bool fig1 = report.Rows.Any(r => r.Result("Dimension-wise distribution") is not null);
        bool fig2 = report.Rows.Any(r => r.Result("Covariance resampling") is not null);
        if (fig1)
        {
            ComparisonFigures.SavePrevalenceScatter(report, Path.Combine(folder, PrevalenceFigure));
        }

        if (fig2)
        {
            ComparisonFigures.SaveCovarianceHistograms(report, Path.Combine(folder, CovarianceFigure));
        }

        string path = Path.Combine(folder, ReportFile);
        AtomicFile.WriteText(path, w => w.Write(Markdown(report, context, fig1, fig2)));
        return path;
    }

    /// <summary>The Markdown text of a report (figures referenced by their file names).</summary>
    public static string Markdown(SuiteReport report, ReportContext context, bool withFigure1 = true, bool withFigure2 = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(context);
        var sb = new StringBuilder();
        sb.Append("# ").Append(context.Title).Append("\n\n");
        if (context.Details is { Count: > 0 } details)
        {
            sb.Append("## Setup\n\n");
            foreach (var line in details)
            {
                sb.Append("- ").Append(line).Append('\n');
            }

            sb.Append('\n');
        }

        sb.Append("## Comparison\n\n");
        sb.Append(report.FormatMarkdown()).Append('\n');
        sb.Append("The **floor** draws every code independently at its training prevalence: a model must beat it on the ")
          .Append("co-occurrence columns (Fig. 2 KS, normalised covariance error, bigram R²) to have learned anything beyond ")
          .Append("marginals. The **ceiling** is real training patients (as many as the holdout) judged against the holdout: ")
          .Append("the best fidelity any generator can show, and the worst privacy (they *are* the training data).\n\n");
        if (withFigure1)
        {
            sb.Append("## Fig. 1 — dimension-wise prevalence\n\n![Fig. 1](").Append(PrevalenceFigure).Append(")\n\n");
        }

        if (withFigure2)
        {
            sb.Append("## Fig. 2 — covariance MAE between resampled groups\n\n![Fig. 2](").Append(CovarianceFigure).Append(")\n\n");
        }

        sb.Append("## Every metric\n\n");
        var metricNames = report.Rows.SelectMany(r => r.Results.Select(m => m.MetricName)).Distinct().ToList();
        foreach (var metric in metricNames)
        {
            var first = report.Rows.Select(r => r.Result(metric)).First(m => m is not null)!;
            sb.Append("### ").Append(metric).Append("\n\n");
            sb.Append("| value | ").AppendJoin(" | ", report.Rows.Select(ComparisonFigures.Label)).Append(" |\n");
            sb.Append("|---").Append(string.Concat(Enumerable.Repeat("|---:", report.Rows.Count))).Append("|\n");
            foreach (var value in first.Values)
            {
                sb.Append("| ").Append(value.Description.Replace("|", "\\|", StringComparison.Ordinal)).Append(" (`").Append(value.Key).Append("`) | ")
                  .AppendJoin(" | ", report.Rows.Select(r => Format(r.Value(metric, value.Key)))).Append(" |\n");
            }

            var notes = report.Rows.SelectMany(r => (r.Result(metric)?.Notes ?? []).Select(n => $"{ComparisonFigures.Label(r)}: {n}")).ToList();
            if (notes.Count > 0)
            {
                sb.Append('\n');
                foreach (var note in notes)
                {
                    sb.Append("- ").Append(note).Append('\n');
                }
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Format(double v) =>
        double.IsNaN(v) ? "n/a" : Math.Abs(v) is >= 1e-3 or 0 ? v.ToString("0.####", CultureInfo.InvariantCulture) : v.ToString("0.###e0", CultureInfo.InvariantCulture);
}
