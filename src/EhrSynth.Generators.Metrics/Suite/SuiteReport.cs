using System.Globalization;
using System.Text;
using EhrSynth.Generators.Evaluation;

namespace EhrSynth.Generators.Metrics.Suite;

/// <summary>The rows of a comparison and plain-text / Markdown tables of them.</summary>
public sealed class SuiteReport
{
    /// <summary>Creates a report.</summary>
    public SuiteReport(IReadOnlyList<SuiteRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Rows = rows;
    }

    /// <summary>Rows: floor first, then the pairwise reference, the models, and the ceiling.</summary>
    public IReadOnlyList<SuiteRow> Rows { get; }

    /// <summary>The columns shown by default: the headline numbers of every metric family.</summary>
    public static IReadOnlyList<MetricColumn> DefaultColumns { get; } =
    [
        new("Dimension-wise distribution", "pearson", "Pearson", "F4"),
        new("Dimension-wise distribution", "spearman", "Spearman"),
        new("Dimension-wise distribution", "never_generated", "never gen.", "F0"),
        new("Covariance resampling", "cross_over_real", "cross/real"),
        new("Covariance resampling", "syn_over_real", "syn/real"),
        new("Covariance resampling", "overlap_ks", "Fig.2 KS"),
        new("Covariance resampling", "normalized_cov_error", "norm. cov err"),
        new("Co-occurrence", "bigram_r2", "bigram R²"),
        new("Record length", "mean_synthetic", "codes/rec", "F2"),
        new("Record length", "wasserstein", "length W1"),
        new("Dimension-wise prediction", "tstr_over_trtr", "TSTR/TRTR"),
        new("Validity and diversity", "empty_rate", "empty"),
        new("Validity and diversity", "distinct_fraction", "distinct"),
        new("Exact copies", "copy_rate_4plus", "copies≥4"),
        new("Distance to closest record", "dcr_mean_ratio", "DCR ratio"),
        new("Membership inference", "auc", "MIA AUC"),
        new("Attribute inference", "f1_excess", "AIA ΔF1"),
        new("NNAAR", "nnaar", "NNAAR"),
    ];

    /// <summary>
    /// The table as cells: a header row, then one row per dataset. Columns whose metric is absent are dropped; a metric
    /// that was not computed for a row shows <c>n/c</c> (<see cref="NotComputed"/> says why).
    /// </summary>
    public IReadOnlyList<string[]> Cells(IReadOnlyList<MetricColumn>? columns = null)
    {
        columns = (columns ?? DefaultColumns).Where(c => Rows.Any(r => r.Result(c.MetricName) is { } m && (!m.IsComputed || m.Find(c.Key) is not null))).ToList();
        var table = new List<string[]>();
        table.Add(["", .. columns.Select(c => c.Header)]);
        foreach (var row in Rows)
        {
            var label = row.Kind switch { RowKind.Floor => $"{row.Name} (floor)", RowKind.Reference => $"{row.Name} (reference)", RowKind.Ceiling => $"{row.Name} (ceiling)", _ => row.Name };
            table.Add([label, .. columns.Select(c => row.Result(c.MetricName) is { IsComputed: false } ? NotComputedCell : Format(row.Value(c.MetricName, c.Key), c.Format))]);
        }

        return table;
    }

    /// <summary>What a table shows for a metric that was not computed.</summary>
    public const string NotComputedCell = "n/c";

    /// <summary>
    /// Every metric that was not computed, once per metric and reason, with the rows it concerns: for example
    /// <c>"Covariance resampling (all rows): 10 groups need at least 10 patients per side; the smaller side has 4"</c>.
    /// </summary>
    public IReadOnlyList<string> NotComputed() =>
        [.. Rows.SelectMany(r => r.Results.Where(m => !m.IsComputed).Select(m => (Row: r.Name, m.MetricName, Reason: m.NotComputedReason!)))
            .GroupBy(x => (x.MetricName, x.Reason))
            .Select(g => $"{g.Key.MetricName} ({(g.Count() == Rows.Count && Rows.Count > 1 ? "all rows" : string.Join(", ", g.Select(x => x.Row)))}): {g.Key.Reason}")];

    /// <summary>A fixed-width text table for consoles.</summary>
    public string FormatText(IReadOnlyList<MetricColumn>? columns = null)
    {
        var cells = Cells(columns);
        var widths = Enumerable.Range(0, cells[0].Length).Select(i => cells.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        for (int r = 0; r < cells.Count; r++)
        {
            sb.AppendJoin("  ", cells[r].Select((v, i) => i == 0 ? v.PadRight(widths[i]) : v.PadLeft(widths[i]))).Append('\n');
            if (r == 0)
            {
                sb.AppendJoin("  ", widths.Select(w => new string('-', w))).Append('\n');
            }
        }

        foreach (var line in NotComputed())
        {
            sb.Append("not computed: ").Append(line).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>A Markdown table.</summary>
    public string FormatMarkdown(IReadOnlyList<MetricColumn>? columns = null)
    {
        var cells = Cells(columns);
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", cells[0].Select(h => h.Length == 0 ? "model" : h)).Append(" |\n");
        sb.Append("|---").Append(string.Concat(Enumerable.Repeat("|---:", cells[0].Length - 1))).Append("|\n");
        foreach (var row in cells.Skip(1))
        {
            sb.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        }

        if (NotComputed() is { Count: > 0 } missing)
        {
            sb.Append('\n');
            foreach (var line in missing)
            {
                sb.Append("- Not computed (").Append(NotComputedCell).Append("): ").Append(line).Append(".\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>Every value of every metric, one line each: <c>row, metric, key, value</c> (for machine-readable output).</summary>
    public IEnumerable<(string Row, RowKind Kind, string Metric, MetricValue Value)> AllValues() =>
        Rows.SelectMany(r => r.Results.SelectMany(m => m.Values.Select(v => (r.Name, r.Kind, m.MetricName, v))));

    private static string Format(double value, string format) =>
        double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);
}
