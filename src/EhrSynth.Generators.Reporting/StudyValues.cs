using System.Globalization;
using EhrSynth.Generators.Metrics.Suite;
using ScottPlot;

namespace EhrSynth.Generators.Reporting;

/// <summary>What the study reports (<see cref="ScalingStudy"/>, <see cref="PrivacySweep"/>) share: values over seeds, their cells, and the floor and ceiling lines.</summary>
internal static class StudyValues
{
    /// <summary>Each column's mean and standard deviation over the seeds for one row (the deviation NaN from a single seed).</summary>
    public static Dictionary<string, (double Mean, double Sd)> Of(SeedSweepReport report, string row, IReadOnlyList<MetricColumn> columns) =>
        columns.ToDictionary(c => c.Key, c =>
        {
            var (mean, sd, n) = report.Statistic(row, c.MetricName, c.Key);
            return (mean, n > 1 ? sd : double.NaN);
        });

    /// <summary>A table cell: "mean ± sd", the mean alone from one seed, "n/a" without a value.</summary>
    public static string Cell(IReadOnlyDictionary<string, (double Mean, double Sd)> values, MetricColumn column)
    {
        var (mean, sd) = values.GetValueOrDefault(column.Key, (Mean: double.NaN, Sd: double.NaN));
        return double.IsNaN(mean) ? "n/a"
            : double.IsNaN(sd) ? mean.ToString(column.Format, CultureInfo.InvariantCulture)
            : $"{mean.ToString(column.Format, CultureInfo.InvariantCulture)} ± {sd.ToString(column.Format, CultureInfo.InvariantCulture)}";
    }

    /// <summary>The floor (grey) and the ceiling (black) as dashed horizontal lines at their value of <paramref name="key"/>.</summary>
    public static void AddReferenceLines(Plot plot, IEnumerable<(RowKind Kind, IReadOnlyDictionary<string, (double Mean, double Sd)> Values)> references, string key)
    {
        foreach (var (kind, values) in references)
        {
            double value = values.GetValueOrDefault(key, (Mean: double.NaN, Sd: double.NaN)).Mean;
            if (double.IsNaN(value))
            {
                continue;
            }

            var level = plot.Add.HorizontalLine(value);
            level.LineColor = kind switch { RowKind.Floor => Colors.Gray, RowKind.Reference => Colors.Purple, _ => Colors.Black };
            level.LinePattern = kind == RowKind.Reference ? LinePattern.Dotted : LinePattern.Dashed;
            level.LegendText = kind switch { RowKind.Floor => "floor", RowKind.Reference => "pairwise reference", _ => "ceiling" };
        }
    }
}
