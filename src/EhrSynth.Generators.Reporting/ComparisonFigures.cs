using System.Globalization;
using EhrSynth.Generators.Metrics.Suite;
using ScottPlot;

namespace EhrSynth.Generators.Reporting;

/// <summary>The paper's two figures, one panel per row of a comparison (floor, models, ceiling).</summary>
public static class ComparisonFigures
{
    private const string DimensionWise = "Dimension-wise distribution";
    private const string Covariance = "Covariance resampling";

    /// <summary>
    /// Fig. 1: per-code prevalence, synthetic (y) against real (x), with the y = x line and Pearson r in each panel's
    /// title. Written atomically as PNG.
    /// </summary>
    /// <exception cref="ArgumentException">No row has the dimension-wise metric.</exception>
    public static void SavePrevalenceScatter(SuiteReport report, string path, int panelWidth = 480, int panelHeight = 380)
    {
        ArgumentNullException.ThrowIfNull(report);
        var panels = new List<Plot>();
        foreach (var row in report.Rows)
        {
            if (row.Result(DimensionWise) is not { IsComputed: true } computed || computed.FindSeries("prevalence") is not { } series)
            {
                continue;
            }

            var plot = new Plot();
            var x = series.X.ToArray();
            var y = series.Y.ToArray();
            double max = Math.Max(1e-3, Math.Max(x.DefaultIfEmpty().Max(), y.DefaultIfEmpty().Max())) * 1.05;
            var diagonal = plot.Add.Line(0, 0, max, max);
            diagonal.LineColor = Colors.Gray;
            diagonal.LinePattern = LinePattern.Dashed;
            var points = plot.Add.ScatterPoints(x, y);
            points.MarkerSize = 4;
            points.Color = RowColor(row.Kind).WithAlpha(0.7);
            plot.Axes.SetLimits(0, max, 0, max);
            plot.Title($"{Label(row)}: r = {Format(row.Value(DimensionWise, "pearson"), "F4")}", 12);
            plot.XLabel("real prevalence", 12);
            plot.YLabel("synthetic prevalence", 12);
            panels.Add(plot);
        }

        Save(panels, path, panelWidth, panelHeight, DimensionWise);
    }

    /// <summary>
    /// Fig. 2: overlaid histograms of the pairwise covariance MAEs between groups — real–real, synthetic–synthetic and
    /// cross — per row, with the overlap statistic and the two ratios in each panel's title. Written atomically as PNG.
    /// </summary>
    /// <exception cref="ArgumentException">No row has the covariance-resampling metric.</exception>
    public static void SaveCovarianceHistograms(SuiteReport report, string path, int panelWidth = 480, int panelHeight = 380)
    {
        ArgumentNullException.ThrowIfNull(report);
        var panels = new List<Plot>();
        foreach (var row in report.Rows)
        {
            var result = row.Result(Covariance);
            if (result is not { IsComputed: true })
            {
                continue;                                       // not computed (too few patients): the report says why
            }

            var sets = new[] { ("MAE real", "mae_real", Colors.Blue), ("MAE syn", "mae_syn", Colors.Orange), ("MAE cross", "mae_cross", Colors.Green) }
                .Select(s => (s.Item1, Values: result.FindSeries(s.Item2)?.Y.ToArray() ?? [], s.Item3)).ToArray();
            var all = sets.SelectMany(s => s.Values).ToArray();
            double lo = all.Min(), hi = all.Max();
            if (hi <= lo)
            {
                hi = lo + Math.Max(1e-9, Math.Abs(lo) * 0.01);
            }

            var plot = new Plot();
            foreach (var (name, values, color) in sets)
            {
                var histogram = ScottPlot.Statistics.Histogram.WithBinCount(24, lo, hi);
                histogram.AddRange(values);
                plot.Add.Histogram(histogram, color.WithAlpha(0.45));
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = color.WithAlpha(0.45) });
            }

            plot.ShowLegend(Alignment.UpperRight);
            plot.Title($"{Label(row)}: KS {Format(row.Value(Covariance, "overlap_ks"))}, cross/real {Format(row.Value(Covariance, "cross_over_real"))}", 12);
            plot.XLabel("MAE between group covariance matrices", 12);
            plot.YLabel("pairs", 12);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => v.ToString("0.00e0", CultureInfo.InvariantCulture) };
            panels.Add(plot);
        }

        Save(panels, path, panelWidth, panelHeight, Covariance);
    }

    private static void Save(List<Plot> panels, string path, int panelWidth, int panelHeight, string metric)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (panels.Count == 0)
        {
            throw new ArgumentException($"No row of the report has the '{metric}' metric, so there is nothing to plot.", nameof(panels));
        }

        PanelGrid.Save(panels, path, panelWidth, panelHeight);
    }

    private static Color RowColor(RowKind kind) => kind switch
    {
        RowKind.Floor => Colors.Gray,
        RowKind.Reference => Colors.Purple,
        RowKind.Ceiling => Colors.Black,
        _ => Colors.Blue,
    };

    /// <summary>A row's name as tables show it: "(floor)", "(reference)" or "(ceiling)" after the reference rows' names.</summary>
    public static string Label(SuiteRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Label(row.Name, row.Kind);
    }

    internal static string Label(string name, RowKind kind) => kind switch
    {
        RowKind.Floor => $"{name} (floor)",
        RowKind.Reference => $"{name} (reference)",
        RowKind.Ceiling => $"{name} (ceiling)",
        _ => name,
    };

    private static string Format(double v, string format = "F3") => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);
}
