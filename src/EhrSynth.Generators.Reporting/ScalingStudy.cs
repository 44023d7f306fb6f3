using System.Globalization;
using System.Text;
using EhrSynth.Generators.Metrics.Suite;
using ScottPlot;

namespace EhrSynth.Generators.Reporting;

/// <summary>
/// A size study — the paper's "larger is better" question: each model's quality against its parameters and its
/// training compute, one line per series (for the LLM: per tokenizer), beside the floor and the ceiling, as a Markdown
/// table (<see cref="FormatMarkdown"/>) and a figure (<see cref="SaveFigure"/>).
/// </summary>
public static class ScalingStudy
{
    /// <summary>File name of the table in a report folder.</summary>
    public const string TableFile = "scaling.md";

    /// <summary>File name of the figure in a report folder.</summary>
    public const string FigureFile = "scaling.png";

    /// <summary>The values a size study shows: the two co-occurrence headlines, the Fig. 2 statistic and the paper's Fig. 1 Pearson.</summary>
    public static IReadOnlyList<MetricColumn> Columns { get; } =
    [
        new("Covariance resampling", "normalized_cov_error", "norm. cov err"),
        new("Co-occurrence", "bigram_r2", "bigram R²"),
        new("Covariance resampling", "overlap_ks", "Fig.2 KS"),
        new("Dimension-wise distribution", "pearson", "Pearson", "F4"),
    ];

    /// <summary>
    /// The study's rows from a comparison: the floor, every model named in <paramref name="series"/> (row name →
    /// series), the ceiling; a model's size and compute are the means over its runs.
    /// </summary>
    /// <param name="report">The comparison over seeds.</param>
    /// <param name="runs">Per model and seed: name, training seconds and the fit's cost.</param>
    /// <param name="series">The series of each model row to include.</param>
    public static IReadOnlyList<ScalingRow> Rows(SeedSweepReport report, IEnumerable<(string Row, double TrainingSeconds, Generation.TrainingCost? Cost)> runs, IReadOnlyDictionary<string, string> series)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(series);
        var byRow = runs.GroupBy(r => r.Row).ToDictionary(g => g.Key, g => g.ToList());
        var rows = new List<ScalingRow>();
        foreach (var row in report.Rows.Where(r => r.Kind != RowKind.Model || series.ContainsKey(r.Name)))
        {
            var values = StudyValues.Of(report, row.Name, Columns);
            var own = byRow.GetValueOrDefault(row.Name);
            var costs = own?.Where(r => r.Cost is not null).Select(r => r.Cost!).ToList() ?? [];
            var flops = costs.Where(c => c.EstimatedFlops is not null).Select(c => c.EstimatedFlops!.Value).ToList();
            rows.Add(new ScalingRow(row.Name, row.Kind, series.GetValueOrDefault(row.Name),
                costs.Count > 0 ? (long)Math.Round(costs.Average(c => (double)c.Parameters)) : null,
                flops.Count > 0 ? flops.Average() : null,
                own is { Count: > 0 } ? own.Average(r => r.TrainingSeconds) : null,
                values));
        }

        return rows;
    }

    /// <summary>The table: one line per row with parameters, compute and each value as mean ± sd (the mean alone from one seed).</summary>
    public static string FormatMarkdown(IReadOnlyList<ScalingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.Append("| model | parameters | training FLOPs (est.) | training s |");
        text.AppendJoin("", Columns.Select(c => $" {c.Header} |")).AppendLine();
        text.Append("|---|---:|---:|---:|").AppendJoin("", Columns.Select(_ => "---:|")).AppendLine();
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {ComparisonFigures.Label(row.Name, row.Kind)} | {Count(row.Parameters)} | {Scientific(row.TrainingFlops)} | {(row.TrainingSeconds is { } s ? s.ToString("F0", CultureInfo.InvariantCulture) : "")} |");
            foreach (var column in Columns)
            {
                text.Append(' ').Append(StudyValues.Cell(row.Values, column)).Append(" |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>
    /// The figure: the first three <see cref="Columns"/> (one panel each) against parameters (top) and training
    /// compute (bottom: the estimated FLOPs when every model has them, else the measured training time), both on log scales, one line per series with ± 1 sd error bars, the floor and the
    /// ceiling as dashed lines. Written atomically as PNG.
    /// </summary>
    /// <exception cref="ArgumentException">No model row has a parameter count.</exception>
    public static void SaveFigure(IReadOnlyList<ScalingRow> rows, string path, int panelWidth = 480, int panelHeight = 380)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var models = rows.Where(r => r.Kind == RowKind.Model && r.Series is not null && r.Parameters is > 0).ToList();
        if (models.Count == 0)
        {
            throw new ArgumentException("No model row of the size study has a parameter count, so there is nothing to plot.", nameof(rows));
        }

        // Compute: the FLOP estimate when every point has one (it does not depend on the machine or on what else ran
        // beside the fit), else the measured training time.
        var axes = new (string Label, Func<ScalingRow, double?> X)[]
        {
            ("parameters", r => r.Parameters),
            models.All(m => m.TrainingFlops is > 0) ? ("training FLOPs (6 × parameters × tokens)", r => r.TrainingFlops) : ("training time (s)", r => r.TrainingSeconds),
        };
        var panels = new List<Plot>();
        foreach (var (label, x) in axes)
        {
            foreach (var column in Columns.Take(3))
            {
                panels.Add(Panel(rows, models, column, label, x));
            }
        }

        PanelGrid.Save(panels, path, panelWidth, panelHeight, maxColumns: 3);     // 2 rows × 3 panels
    }

    private static Plot Panel(IReadOnlyList<ScalingRow> rows, List<ScalingRow> models, MetricColumn column, string xLabel, Func<ScalingRow, double?> x)
    {
        var plot = new Plot();
        Color[] palette = [Colors.Blue, Colors.OrangeRed, Colors.Green, Colors.Purple];
        int index = 0;
        foreach (var line in models.GroupBy(m => m.Series!))
        {
            var points = line.Where(m => x(m) is > 0).OrderBy(m => x(m)).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            double[] xs = [.. points.Select(m => Math.Log10(x(m)!.Value))];
            double[] ys = [.. points.Select(m => m.Values[column.Key].Mean)];
            double[] errors = [.. points.Select(m => double.IsNaN(m.Values[column.Key].Sd) ? 0 : m.Values[column.Key].Sd)];
            var color = palette[index++ % palette.Length];
            var scatter = plot.Add.Scatter(xs, ys, color);
            scatter.LegendText = line.Key;
            scatter.MarkerSize = 7;
            var bars = plot.Add.ErrorBar(xs, ys, errors);
            bars.Color = color;
        }

        StudyValues.AddReferenceLines(plot, rows.Where(r => r.Kind != RowKind.Model).Select(r => (r.Kind, r.Values)), column.Key);

        plot.ShowLegend(Edge.Bottom);
        plot.Title($"{column.Header} against {xLabel.Split(" (")[0]}", 12);
        plot.XLabel($"{xLabel} (log scale)", 12);
        plot.YLabel(column.Header, 12);
        var logs = models.Select(x).Where(v => v is > 0).Select(v => Math.Log10(v!.Value)).ToList();
        if (logs.Count > 0)
        {
            double lo = logs.Min() - 0.15, hi = logs.Max() + 0.15;
            plot.Axes.SetLimitsX(lo, hi);
            plot.Axes.Bottom.TickGenerator = LogTicks(lo, hi);
        }

        return plot;
    }

    /// <summary>Ticks at 1, 2 and 5 × 10ᵏ on an axis of log₁₀ values, labelled with the plain value.</summary>
    private static ScottPlot.TickGenerators.NumericManual LogTicks(double lo, double hi)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int k = (int)Math.Floor(lo); k <= (int)Math.Ceiling(hi); k++)
        {
            foreach (int m in new[] { 1, 2, 5 })
            {
                double position = Math.Log10(m) + k;
                if (position >= lo && position <= hi)
                {
                    double value = m * Math.Pow(10, k);
                    ticks.AddMajor(position, value < 10_000 ? value.ToString("G4", CultureInfo.InvariantCulture) : value.ToString("0e0", CultureInfo.InvariantCulture));
                }
            }
        }

        return ticks;
    }

    private static string Count(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "";

    private static string Scientific(double? value) => value is { } v ? v.ToString("0.00e0", CultureInfo.InvariantCulture) : "";
}
