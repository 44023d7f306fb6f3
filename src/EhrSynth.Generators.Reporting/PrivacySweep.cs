using System.Globalization;
using System.Text;
using EhrSynth.Generators.Metrics.Suite;
using ScottPlot;

namespace EhrSynth.Generators.Reporting;

/// <summary>
/// What differential privacy costs: each family's utility and leakage at every ε of a sweep and without privacy, beside
/// the floor and the ceiling, as a Markdown table (<see cref="FormatMarkdown"/>) and a figure of utility against ε
/// (<see cref="SaveFigure"/>).
/// </summary>
public static class PrivacySweep
{
    /// <summary>File name of the table in a report folder.</summary>
    public const string TableFile = "privacy-sweep.md";

    /// <summary>File name of the figure in a report folder.</summary>
    public const string FigureFile = "privacy-sweep.png";

    /// <summary>The values a sweep shows: three utility values (the figure's panels), then two leakage values.</summary>
    public static IReadOnlyList<MetricColumn> Columns { get; } =
    [
        new("Covariance resampling", "normalized_cov_error", "norm. cov err"),
        new("Co-occurrence", "bigram_r2", "bigram R²"),
        new("Covariance resampling", "overlap_ks", "Fig.2 KS"),
        new("Membership inference", "auc", "MIA AUC"),
        new("Exact copies", "copy_rate_4plus", "copies≥4"),
    ];

    /// <summary>The sweep's rows from a comparison: the floor, every model named in <paramref name="points"/> (row name → point), the ceiling.</summary>
    /// <param name="report">The comparison over seeds.</param>
    /// <param name="points">The family line and ε of each model row to include.</param>
    public static IReadOnlyList<PrivacySweepRow> Rows(SeedSweepReport report, IReadOnlyDictionary<string, PrivacyPoint> points)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(points);
        return
        [
            .. report.Rows.Where(r => r.Kind != RowKind.Model || points.ContainsKey(r.Name)).Select(row =>
                new PrivacySweepRow(row.Name, row.Kind, points.GetValueOrDefault(row.Name), StudyValues.Of(report, row.Name, Columns))),
        ];
    }

    /// <summary>The table: the floor, then each family's non-private row and its DP rows from the largest ε down, then the ceiling; values as mean ± sd (the mean alone from one seed).</summary>
    public static string FormatMarkdown(IReadOnlyList<PrivacySweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.Append("| model | ε |").AppendJoin("", Columns.Select(c => $" {c.Header} |")).AppendLine();
        text.Append("|---|---:|").AppendJoin("", Columns.Select(_ => "---:|")).AppendLine();
        foreach (var row in Ordered(rows))
        {
            string epsilon = row.Kind != RowKind.Model ? "" : row.Point?.Epsilon is { } e ? e.ToString("G3", CultureInfo.InvariantCulture) : "∞ (non-private)";
            text.Append(CultureInfo.InvariantCulture, $"| {ComparisonFigures.Label(row.Name, row.Kind)} | {epsilon} |");
            foreach (var column in Columns)
            {
                text.Append(' ').Append(StudyValues.Cell(row.Values, column)).Append(" |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>
    /// The figure: the first three <see cref="Columns"/> against ε (log scale), one line per family through its DP
    /// rows with ± 1 sd error bars, its non-private value as a dotted line of the same colour, the floor and the ceiling
    /// dashed. Written atomically as PNG.
    /// </summary>
    /// <exception cref="ArgumentException">No model row has an ε.</exception>
    public static void SaveFigure(IReadOnlyList<PrivacySweepRow> rows, string path, int panelWidth = 480, int panelHeight = 380)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!rows.Any(r => r.Kind == RowKind.Model && r.Point?.Epsilon is > 0))
        {
            throw new ArgumentException("No model row of the privacy sweep has an ε, so there is nothing to plot.", nameof(rows));
        }

        PanelGrid.Save([.. Columns.Take(3).Select(c => Panel(rows, c))], path, panelWidth, panelHeight, maxColumns: 3);
    }

    private static IEnumerable<PrivacySweepRow> Ordered(IReadOnlyList<PrivacySweepRow> rows) =>
        rows.Where(r => r.Kind == RowKind.Floor)
            .Concat(rows.Where(r => r.Kind == RowKind.Reference))
            .Concat(rows.Where(r => r.Kind == RowKind.Model).GroupBy(r => r.Point?.Series ?? r.Name)
                .SelectMany(g => g.OrderByDescending(r => r.Point?.Epsilon ?? double.PositiveInfinity)))
            .Concat(rows.Where(r => r.Kind == RowKind.Ceiling));

    private static Plot Panel(IReadOnlyList<PrivacySweepRow> rows, MetricColumn column)
    {
        var plot = new Plot();
        Color[] palette = [Colors.Blue, Colors.OrangeRed, Colors.Green, Colors.Purple, Colors.Brown];
        int index = 0;
        var epsilons = rows.Where(r => r.Point?.Epsilon is > 0).Select(r => Math.Log10(r.Point!.Epsilon!.Value)).ToList();
        foreach (var family in rows.Where(r => r.Kind == RowKind.Model && r.Point is not null).GroupBy(r => r.Point!.Series))
        {
            var color = palette[index++ % palette.Length];
            var points = family.Where(r => r.Point!.Epsilon is > 0).OrderBy(r => r.Point!.Epsilon).ToList();
            if (points.Count > 0)
            {
                double[] xs = [.. points.Select(r => Math.Log10(r.Point!.Epsilon!.Value))];
                double[] ys = [.. points.Select(r => r.Values[column.Key].Mean)];
                double[] errors = [.. points.Select(r => double.IsNaN(r.Values[column.Key].Sd) ? 0 : r.Values[column.Key].Sd)];
                var scatter = plot.Add.Scatter(xs, ys, color);
                scatter.LegendText = $"{family.Key}, DP";
                scatter.MarkerSize = 7;
                plot.Add.ErrorBar(xs, ys, errors).Color = color;
            }

            if (family.FirstOrDefault(r => r.Point!.Epsilon is null) is { } open && !double.IsNaN(open.Values[column.Key].Mean))
            {
                var level = plot.Add.HorizontalLine(open.Values[column.Key].Mean);
                level.LineColor = color;
                level.LinePattern = LinePattern.Dotted;
                level.LegendText = $"{family.Key}, non-private";
            }
        }

        StudyValues.AddReferenceLines(plot, rows.Where(r => r.Kind != RowKind.Model).Select(r => (r.Kind, r.Values)), column.Key);

        plot.ShowLegend(Edge.Bottom);
        plot.Title($"{column.Header} against ε", 12);
        plot.XLabel("ε (log scale; δ fixed)", 12);
        plot.YLabel(column.Header, 12);
        double lo = epsilons.Min() - 0.15, hi = epsilons.Max() + 0.15;
        plot.Axes.SetLimitsX(lo, hi);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (double e in epsilons.Distinct())
        {
            ticks.AddMajor(e, Math.Pow(10, e).ToString("G3", CultureInfo.InvariantCulture));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        return plot;
    }
}
