using System.Globalization;
using System.Text;

namespace EhrSynth.Generators.Metrics.Suite;

/// <summary>
/// A comparison repeated over seeds: every cell is the mean ± standard deviation (n − 1) over seeds of one value, and
/// each model row carries a <see cref="FloorVerdict"/>. Rows that do not clear the floor are marked with
/// <see cref="NotClearedMarker"/> in the tables, with a footnote.
/// </summary>
public sealed class SeedSweepReport
{
    /// <summary>The marker of a model row that does not clear the floor.</summary>
    public const string NotClearedMarker = "†";

    /// <summary>Creates a report.</summary>
    /// <exception cref="ArgumentException">No runs, two runs with one seed, or runs whose rows differ.</exception>
    public SeedSweepReport(IReadOnlyList<SeedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("A sweep needs at least one run.", nameof(runs));
        }

        if (runs.Select(r => r.Seed).Distinct().Count() != runs.Count)
        {
            throw new ArgumentException("Two runs have the same seed.", nameof(runs));
        }

        var names = runs[0].Report.Rows.Select(r => r.Name).ToList();
        if (runs.Any(r => !r.Report.Rows.Select(x => x.Name).SequenceEqual(names)))
        {
            throw new ArgumentException("Every run must have the same rows in the same order.", nameof(runs));
        }

        Runs = runs;
    }

    /// <summary>The runs, in seed order as given.</summary>
    public IReadOnlyList<SeedRun> Runs { get; }

    /// <summary>The seeds.</summary>
    public IReadOnlyList<int> Seeds => [.. Runs.Select(r => r.Seed)];

    /// <summary>The rows of the first run (names and kinds are the same in every run).</summary>
    public IReadOnlyList<SuiteRow> Rows => Runs[0].Report.Rows;

    /// <summary>Mean, sample standard deviation and count of one value over the seeds where it is defined.</summary>
    public (double Mean, double StandardDeviation, int Count) Statistic(string row, string metricName, string key)
    {
        var values = Runs.Select(r => r.Report.Rows.First(x => x.Name == row).Value(metricName, key)).Where(v => !double.IsNaN(v)).ToList();
        if (values.Count == 0)
        {
            return (double.NaN, double.NaN, 0);
        }

        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return (mean, sd, values.Count);
    }

    /// <summary>The floor verdict of a model row; <see langword="null"/> when there is no floor row or the values are missing.</summary>
    public FloorVerdict? Verdict(string row)
    {
        var floor = Rows.FirstOrDefault(r => r.Kind == RowKind.Floor);
        if (floor is null || Rows.First(r => r.Name == row).Kind != RowKind.Model)
        {
            return null;
        }

        const string cov = "Covariance resampling", covKey = "normalized_cov_error", co = "Co-occurrence", bigram = "bigram_r2";
        int beaten = 0, seeds = 0;
        var covMargins = new List<double>();
        var bigramMargins = new List<double>();
        foreach (var run in Runs)
        {
            var model = run.Report.Rows.First(r => r.Name == row);
            var f = run.Report.Rows.First(r => r.Kind == RowKind.Floor);
            double dc = f.Value(cov, covKey) - model.Value(cov, covKey);
            double db = model.Value(co, bigram) - f.Value(co, bigram);
            if (double.IsNaN(dc) || double.IsNaN(db))
            {
                return null;
            }

            seeds++;
            beaten += dc > 0 && db > 0 ? 1 : 0;
            covMargins.Add(dc);
            bigramMargins.Add(db);
        }

        return new FloorVerdict(row, beaten, seeds, covMargins.Average(), Statistic(row, cov, covKey).StandardDeviation,
            bigramMargins.Average(), Statistic(row, co, bigram).StandardDeviation);
    }

    /// <summary>
    /// The table as cells: a header row, then one row per dataset; each cell is "mean ± sd" (just the value with one
    /// seed). Model rows that do not clear the floor carry <see cref="NotClearedMarker"/>.
    /// </summary>
    public IReadOnlyList<string[]> Cells(IReadOnlyList<MetricColumn>? columns = null)
    {
        columns = (columns ?? SuiteReport.DefaultColumns)
            .Where(c => Runs.Any(run => run.Report.Rows.Any(r => r.Result(c.MetricName) is { } m && (!m.IsComputed || m.Find(c.Key) is not null)))).ToList();
        var table = new List<string[]> { (["", .. columns.Select(c => c.Header)]) };
        foreach (var row in Rows)
        {
            string label = row.Kind switch
            {
                RowKind.Floor => $"{row.Name} (floor)",
                RowKind.Reference => $"{row.Name} (reference)",
                RowKind.Ceiling => $"{row.Name} (ceiling)",
                _ => Verdict(row.Name) is { Clears: false } ? $"{row.Name} {NotClearedMarker}" : row.Name,
            };
            table.Add([label, .. columns.Select(c => NeverComputed(row.Name, c.MetricName) ? SuiteReport.NotComputedCell : Format(Statistic(row.Name, c.MetricName, c.Key), c.Format))]);
        }

        return table;
    }

    /// <summary>
    /// Every metric that was not computed on some run, once per metric and reason, with the rows and seeds it concerns
    /// (see <see cref="SuiteReport.NotComputed"/>).
    /// </summary>
    public IReadOnlyList<string> NotComputed()
    {
        if (Runs.Count == 1)
        {
            return Runs[0].Report.NotComputed();
        }

        return [.. Runs.SelectMany(run => run.Report.Rows.SelectMany(r => r.Results.Where(m => !m.IsComputed).Select(m => (run.Seed, Row: r.Name, m.MetricName, Reason: m.NotComputedReason!))))
            .GroupBy(x => (x.MetricName, x.Reason))
            .Select(g => $"{g.Key.MetricName} ({string.Join(", ", g.GroupBy(x => x.Row).Select(r => $"{r.Key} seed {string.Join(", ", r.Select(x => x.Seed))}"))}): {g.Key.Reason}")];
    }

    /// <summary>The footnote that explains <see cref="NotClearedMarker"/>, or <see langword="null"/> when every model clears the floor.</summary>
    public string? Footnote()
    {
        var failing = Rows.Where(r => r.Kind == RowKind.Model).Select(r => Verdict(r.Name)).Where(v => v is { Clears: false }).ToList();
        if (failing.Count == 0)
        {
            return null;
        }

        var parts = failing.Select(v => string.Create(CultureInfo.InvariantCulture,
            $"{v!.Row} beats it on {v.SeedsBeaten} of {v.Seeds} seed(s) (mean margin: covariance {v.CovarianceMargin:+0.000;-0.000} vs spread {v.CovarianceSpread:0.000}, bigram R² {v.BigramMargin:+0.000;-0.000} vs spread {v.BigramSpread:0.000})"));
        return $"{NotClearedMarker} Does not clear the independent-marginals floor on normalised covariance error and bigram R² on every seed by more than the seed-to-seed spread: {string.Join("; ", parts)}.";
    }

    /// <summary>A fixed-width text table for consoles, with the footnote.</summary>
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

        if (Runs.Count > 1)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Mean ± standard deviation over seeds {string.Join(", ", Seeds)}.\n");
        }

        if (Footnote() is { } note)
        {
            sb.Append(note).Append('\n');
        }

        foreach (var line in NotComputed())
        {
            sb.Append("not computed: ").Append(line).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>A Markdown table, with the footnote.</summary>
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

        if (Runs.Count > 1)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\nMean ± standard deviation over seeds {string.Join(", ", Seeds)}.\n");
        }

        if (Footnote() is { } note)
        {
            sb.Append('\n').Append(note).Append('\n');
        }

        if (NotComputed() is { Count: > 0 } missing)
        {
            sb.Append('\n');
            foreach (var line in missing)
            {
                sb.Append("- Not computed (").Append(SuiteReport.NotComputedCell).Append("): ").Append(line).Append(".\n");
            }
        }

        return sb.ToString();
    }

    private bool NeverComputed(string row, string metricName) =>
        Runs.All(run => run.Report.Rows.First(x => x.Name == row).Result(metricName) is { IsComputed: false });

    private string Format((double Mean, double StandardDeviation, int Count) s, string format) =>
        s.Count == 0 ? "n/a"
        : Runs.Count == 1 ? s.Mean.ToString(format, CultureInfo.InvariantCulture)
        : $"{s.Mean.ToString(format, CultureInfo.InvariantCulture)} ± {s.StandardDeviation.ToString(format, CultureInfo.InvariantCulture)}";
}
