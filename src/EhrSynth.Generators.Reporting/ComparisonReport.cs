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

    /// <summary>
    /// Writes the report folder atomically (see <see cref="AtomicFile.WriteDirectory"/>): <c>report.md</c>, Fig. 1 and
    /// Fig. 2. A folder holding files EhrSynth did not write is refused before anything is written.
    /// </summary>
    /// <returns>The path of <c>report.md</c>.</returns>
    /// <exception cref="OutputConflictException">The folder holds files EhrSynth did not write, or is a file.</exception>
    public static string Write(string folder, SuiteReport report, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Write(folder, new SeedSweepReport([new SeedRun(0, report)]), context);
    }

    /// <summary>
    /// Writes the report folder of a seed sweep atomically: <c>report.md</c> (mean ± sd over seeds, the floor verdicts,
    /// every value), and Fig. 1 and Fig. 2 for every seed (<c>fig1-prevalence.png</c> for the first, then
    /// <c>fig1-prevalence-seedN.png</c>). <paramref name="addFiles"/> may add files to the (temporary) folder first.
    /// </summary>
    /// <returns>The path of <c>report.md</c>.</returns>
    /// <exception cref="OutputConflictException">The folder holds files EhrSynth did not write, or is a file.</exception>
    public static string Write(string folder, SeedSweepReport report, ReportContext context, Action<string>? addFiles = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(context);
        AtomicFile.WriteDirectory(folder, tmp =>
        {
            addFiles?.Invoke(tmp);
            WriteFiles(tmp, report, context);
        });
        return Path.Combine(Path.GetFullPath(folder), ReportFile);
    }

    /// <summary>The figure file names of a seed: the first seed's are unsuffixed.</summary>
    public static (string Prevalence, string Covariance) FigureFiles(SeedSweepReport report, int runIndex) =>
        runIndex == 0
            ? (PrevalenceFigure, CovarianceFigure)
            : (PrevalenceFigure.Replace(".png", $"-seed{report.Runs[runIndex].Seed}.png", StringComparison.Ordinal), CovarianceFigure.Replace(".png", $"-seed{report.Runs[runIndex].Seed}.png", StringComparison.Ordinal));

    private static void WriteFiles(string folder, SeedSweepReport report, ReportContext context)
    {
        bool fig1 = report.Runs.All(run => run.Report.Rows.Any(r => r.Result("Dimension-wise distribution") is { IsComputed: true }));
        bool fig2 = report.Runs.All(run => run.Report.Rows.Any(r => r.Result("Covariance resampling") is { IsComputed: true }));
        for (int i = 0; i < report.Runs.Count; i++)
        {
            var (prevalence, covariance) = FigureFiles(report, i);
            if (fig1)
            {
                ComparisonFigures.SavePrevalenceScatter(report.Runs[i].Report, Path.Combine(folder, prevalence));
            }

            if (fig2)
            {
                ComparisonFigures.SaveCovarianceHistograms(report.Runs[i].Report, Path.Combine(folder, covariance));
            }
        }

        AtomicFile.WriteText(Path.Combine(folder, ReportFile), w => w.Write(Markdown(report, context, fig1, fig2)));
    }

    /// <summary>The Markdown text of a report (figures referenced by their file names).</summary>
    public static string Markdown(SuiteReport report, ReportContext context, bool withFigure1 = true, bool withFigure2 = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Markdown(new SeedSweepReport([new SeedRun(0, report)]), context, withFigure1, withFigure2);
    }

    /// <summary>The Markdown text of a seed sweep (figures referenced by their file names).</summary>
    public static string Markdown(SeedSweepReport report, ReportContext context, bool withFigure1 = true, bool withFigure2 = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(context);
        bool sweep = report.Runs.Count > 1;
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
          .Append("marginals. The **pairwise reference** is a Chow–Liu tree fitted without noise (each code given its most informative ")
          .Append("partner): a model that does not beat it has learned no more than pairs of codes. The **ceiling** is real training patients (as many as the holdout) judged against the holdout: ")
          .Append("the best fidelity any generator can show, and the worst privacy (they *are* the training data).");
        if (sweep)
        {
            sb.Append(" Each seed draws its own split, training, sampling and metric randomness; a model clears the floor only when it ")
              .Append("beats it on both co-occurrence values on every seed, by a mean margin larger than its own seed-to-seed standard deviation.");
        }

        sb.Append("\n\n");
        string which = sweep ? $" (seed {report.Runs[0].Seed}; the other seeds' figures are beside this report, suffixed -seedN)" : "";
        if (withFigure1)
        {
            sb.Append("## Fig. 1 — dimension-wise prevalence").Append(which).Append("\n\n![Fig. 1](").Append(PrevalenceFigure).Append(")\n\n");
        }

        if (withFigure2)
        {
            sb.Append("## Fig. 2 — covariance MAE between resampled groups").Append(which).Append("\n\n![Fig. 2](").Append(CovarianceFigure).Append(")\n\n");
        }

        if (sweep)
        {
            sb.Append("## Each seed\n\n");
            foreach (var run in report.Runs)
            {
                sb.Append(CultureInfo.InvariantCulture, $"### Seed {run.Seed}\n\n").Append(run.Report.FormatMarkdown()).Append('\n');
            }
        }

        sb.Append("## Every metric").Append(sweep ? " (mean ± sd over seeds)" : "").Append("\n\n");
        var rows = report.Rows;
        var metricNames = rows.SelectMany(r => r.Results.Select(m => m.MetricName)).Distinct().ToList();
        foreach (var metric in metricNames)
        {
            sb.Append("### ").Append(metric).Append("\n\n");
            var notComputed = report.Runs.SelectMany(run => run.Report.Rows.Where(r => r.Result(metric) is { IsComputed: false })
                .Select(r => (sweep ? $"{ComparisonFigures.Label(r)} (seed {run.Seed})" : ComparisonFigures.Label(r)) + $": not computed — {r.Result(metric)!.NotComputedReason}.")).ToList();
            if (report.Runs.SelectMany(run => run.Report.Rows).Select(r => r.Result(metric)).FirstOrDefault(m => m is { IsComputed: true }) is not { } first)
            {
                sb.AppendJoin("", notComputed.Select(n => $"- {n}\n")).Append('\n');
                continue;
            }

            sb.Append("| value | ").AppendJoin(" | ", rows.Select(ComparisonFigures.Label)).Append(" |\n");
            sb.Append("|---").Append(string.Concat(Enumerable.Repeat("|---:", rows.Count))).Append("|\n");
            foreach (var value in first.Values)
            {
                sb.Append("| ").Append(value.Description.Replace("|", "\\|", StringComparison.Ordinal)).Append(" (`").Append(value.Key).Append("`) | ")
                  .AppendJoin(" | ", rows.Select(r => Format(report.Statistic(r.Name, metric, value.Key), sweep))).Append(" |\n");
            }

            var notes = report.Runs.SelectMany(run => run.Report.Rows.SelectMany(r => (r.Result(metric)?.Notes ?? [])
                .Select(n => sweep ? $"{ComparisonFigures.Label(r)} (seed {run.Seed}): {n}" : $"{ComparisonFigures.Label(r)}: {n}"))).Concat(notComputed).Distinct().ToList();
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

    private static string Format((double Mean, double StandardDeviation, int Count) s, bool sweep) =>
        s.Count == 0 ? "n/a" : sweep ? $"{Format(s.Mean)} ± {Format(s.StandardDeviation)}" : Format(s.Mean);

    private static string Format(double v) =>
        double.IsNaN(v) ? "n/a" : Math.Abs(v) is >= 1e-3 or 0 ? v.ToString("0.####", CultureInfo.InvariantCulture) : v.ToString("0.###e0", CultureInfo.InvariantCulture);
}
