using System.Globalization;
using System.Text;
using EhrSynth.Generators.Metrics.Suite;
using ScottPlot;

namespace EhrSynth.Generators.Reporting;

/// <summary>
/// The cohort study's outputs: a Markdown summary of every family's cohort prevalence error against the cohort floor
/// (<see cref="FormatMarkdown"/>), each cohort's full table, and a figure of the error relative to the floor against the
/// training cohort's size (<see cref="SaveFigure"/>).
/// </summary>
public static class CohortStudyReport
{
    /// <summary>File name of the tables in a report folder.</summary>
    public const string TableFile = "cohorts.md";

    /// <summary>File name of the figure in a report folder.</summary>
    public const string FigureFile = "cohorts.png";

    /// <summary>The headline: mean absolute error between the cohort's code prevalences and the holdout cohort's.</summary>
    public static MetricColumn PrevalenceError { get; } = new("Dimension-wise distribution", "mae", "prevalence MAE", "F5");

    /// <summary>The columns of each cohort's table.</summary>
    public static IReadOnlyList<MetricColumn> Columns { get; } =
    [
        PrevalenceError,
        new("Dimension-wise distribution", "pearson", "Pearson", "F3"),
        new("Covariance resampling", "normalized_cov_error", "norm. cov err"),
        new("Co-occurrence", "bigram_r2", "bigram R²"),
        new("Record length", "mean_synthetic", "codes/rec", "F2"),
        new("Membership inference", "auc", "MIA AUC"),
    ];

    /// <summary>
    /// The summary (one row per cohort: its sizes and each family's prevalence error ÷ the cohort floor's, mean over
    /// seeds, with how many seeds beat the floor) and every cohort's own table.
    /// </summary>
    public static string FormatMarkdown(IReadOnlyList<CohortStudyCohort> cohorts)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder(FormatSummary(cohorts));
        text.AppendLine();
        text.AppendLine("Each family's cell: its cohort's prevalence MAE against the holdout cohort ÷ the cohort floor's (independent codes at the training cohort's prevalences), mean over seeds; below 1 is better than the floor; (k/n) seeds where it was lower; **bold** when lower at every seed. n/c: the family could not draw the cohort (see the cohort's table).");
        foreach (var cohort in cohorts)
        {
            text.AppendLine();
            text.AppendLine(c, $"### {cohort.Condition}");
            text.AppendLine();
            text.AppendLine(c, $"Training cohort {Range(cohort.TrainPatients)} patients, holdout cohort {Range(cohort.HoldoutPatients)} (seeds {string.Join(", ", cohort.Report.Seeds)}).");
            text.AppendLine();
            text.Append(cohort.Report.FormatMarkdown(Columns));
            if (cohort.Generation.Count > 0)
            {
                text.AppendLine();
                foreach (var (family, how) in cohort.Generation)
                {
                    text.AppendLine(c, $"- {family}: {how}");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The summary alone: one row per cohort with its sizes and each family's prevalence error ÷ the cohort floor's, mean over seeds, and how many seeds beat the floor.</summary>
    public static string FormatSummary(IReadOnlyList<CohortStudyCohort> cohorts)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        var c = CultureInfo.InvariantCulture;
        var families = Families(cohorts);
        var text = new StringBuilder();
        text.Append("| cohort | training patients | holdout patients | floor prevalence MAE |").AppendJoin("", families.Select(f => $" {f} |")).AppendLine();
        text.Append("|---|---:|---:|---:|").AppendJoin("", families.Select(_ => "---:|")).AppendLine();
        foreach (var cohort in cohorts)
        {
            var floor = Floor(cohort);
            text.Append(c, $"| {cohort.Condition} | {Range(cohort.TrainPatients)} | {Range(cohort.HoldoutPatients)} | {Mean(cohort.Report, floor)} |");
            foreach (var family in families)
            {
                text.Append(' ').Append(Ratio(cohort, family)).Append(" |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>
    /// The figure: each family's prevalence error ÷ the cohort floor's against the training cohort's size (log scale),
    /// mean over seeds with ± 1 sd bars; the floor at 1. Written atomically as PNG.
    /// </summary>
    public static void SaveFigure(IReadOnlyList<CohortStudyCohort> cohorts, string path, int width = 720, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var plot = new Plot();
        Color[] palette = [Colors.Blue, Colors.OrangeRed, Colors.Green, Colors.Purple, Colors.Brown, Colors.Teal, Colors.Magenta];
        int index = 0;
        foreach (var family in Families(cohorts).Append(PairwiseName(cohorts)).OfType<string>())
        {
            var points = cohorts.Select(cohort => (X: Math.Log10(Math.Max(1, cohort.TrainPatients.Average())), Ratios: Ratios(cohort, family)))
                .Where(p => p.Ratios.Count > 0).OrderBy(p => p.X).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var color = palette[index++ % palette.Length];
            double[] xs = [.. points.Select(p => p.X)];
            double[] ys = [.. points.Select(p => p.Ratios.Average())];
            double[] sds = [.. points.Select(p => Sd(p.Ratios))];
            var line = plot.Add.Scatter(xs, ys, color);
            line.LegendText = family;
            line.MarkerSize = 7;
            plot.Add.ErrorBar(xs, ys, sds).Color = color;
        }

        var floor = plot.Add.HorizontalLine(1);
        floor.LineColor = Colors.Gray;
        floor.LinePattern = LinePattern.Dashed;
        floor.LegendText = "cohort floor";
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var cohort in cohorts)
        {
            double x = Math.Log10(Math.Max(1, cohort.TrainPatients.Average()));
            ticks.AddMajor(x, cohort.TrainPatients.Average().ToString("N0", CultureInfo.InvariantCulture));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.ShowLegend(Edge.Bottom);
        plot.Title("Cohort prevalence error relative to the cohort floor", 12);
        plot.XLabel("training patients in the cohort (log scale)", 12);
        plot.YLabel("prevalence MAE ÷ cohort floor's", 12);
        PanelGrid.Save([plot], path, width, height, maxColumns: 1);
    }

    private static List<string> Families(IReadOnlyList<CohortStudyCohort> cohorts) =>
        [.. cohorts.SelectMany(c => c.Report.Rows.Where(r => r.Kind == RowKind.Model).Select(r => r.Name)).Distinct()];

    private static string? PairwiseName(IReadOnlyList<CohortStudyCohort> cohorts) =>
        cohorts.SelectMany(c => c.Report.Rows.Where(r => r.Kind == RowKind.Reference).Select(r => r.Name)).FirstOrDefault();

    private static string? Floor(CohortStudyCohort cohort) => cohort.Report.Rows.FirstOrDefault(r => r.Kind == RowKind.Floor)?.Name;

    /// <summary>Per seed: the row's prevalence error ÷ the floor's (seeds where either is missing are left out).</summary>
    private static List<double> Ratios(CohortStudyCohort cohort, string row)
    {
        var ratios = new List<double>();
        if (Floor(cohort) is not { } floor || !cohort.Report.Rows.Any(r => r.Name == row))
        {
            return ratios;
        }

        foreach (var run in cohort.Report.Runs)
        {
            double mine = run.Report.Rows.First(r => r.Name == row).Value(PrevalenceError.MetricName, PrevalenceError.Key);
            double base_ = run.Report.Rows.First(r => r.Name == floor).Value(PrevalenceError.MetricName, PrevalenceError.Key);
            if (double.IsFinite(mine) && double.IsFinite(base_) && base_ > 0)
            {
                ratios.Add(mine / base_);
            }
        }

        return ratios;
    }

    private static string Ratio(CohortStudyCohort cohort, string family)
    {
        var ratios = Ratios(cohort, family);
        if (ratios.Count == 0)
        {
            return "n/c";
        }

        int below = ratios.Count(r => r < 1);
        string cell = string.Create(CultureInfo.InvariantCulture, $"{ratios.Average():F2} ({below}/{cohort.Report.Runs.Count})");
        return below == cohort.Report.Runs.Count ? $"**{cell}**" : cell;
    }

    private static string Mean(SeedSweepReport report, string? row)
    {
        if (row is null)
        {
            return "n/a";
        }

        var (mean, sd, n) = report.Statistic(row, PrevalenceError.MetricName, PrevalenceError.Key);
        return n > 1 ? string.Create(CultureInfo.InvariantCulture, $"{mean:F5} ± {sd:F5}") : mean.ToString("F5", CultureInfo.InvariantCulture);
    }

    private static string Range(IReadOnlyList<int> sizes) =>
        sizes.Min() == sizes.Max() ? sizes[0].ToString("N0", CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{sizes.Min():N0}–{sizes.Max():N0}");

    private static double Sd(List<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
