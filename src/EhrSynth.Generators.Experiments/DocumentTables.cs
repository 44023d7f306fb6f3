using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Reporting;

namespace EhrSynth.Generators.Experiments;

/// <summary>
/// Tables in Markdown documents that are rendered from committed results files, so that a document cannot drift from
/// its data. A table is written between two marker lines:
/// <code>
/// &lt;!-- table: results/quick/results.json comparison --&gt;
/// (the rendered table)
/// &lt;!-- /table --&gt;
/// </code>
/// The path is relative to the document's folder; markers inside fenced code blocks are left alone (examples). Kinds: <c>comparison</c> (the report's table over seeds, with its
/// footnote; <c>seed=N</c> for one seed's table; <c>columns=key,key</c> for some of <see cref="SuiteReport.DefaultColumns"/>
/// by value key — any value of the results, by its key, when it is not a default column), <c>per-seed</c> (every row's
/// values seed by seed, "a / b / c"; <c>columns=key,key</c>, by default normalised covariance error and bigram R²),
/// <c>floor-margins</c> (<see cref="FloorMarginTable"/>), <c>runs</c> (<see cref="RunTable"/>),
/// <c>privacy-sweep</c> (<see cref="PrivacySweep"/>, its rows found by the names the comparison gives private rows,
/// "VAE (DP ε = 3)"), <c>cohorts</c> (the summary of a cohort study's <c>cohorts.json</c>), <c>records</c> (one row per
/// JSON file — the path may end in a <c>*</c> pattern, rows in file-name order — with the values named by
/// <c>fields=a,b.c:F4</c>: a top-level value, or <c>parent.key</c> one level down, optionally with a .NET format, <c>%20</c>
/// for a space; whole numbers with thousands separators, other numbers as the file has them) and
/// <c>benchmark</c> (a BenchmarkDotNet <c>-report-brief.json</c> or <c>-report-full.json</c>: each benchmark's
/// parameters, mean and standard deviation in milliseconds).
/// <see cref="Render"/> writes every table again; <see cref="Differences"/> says where a document differs from its data.
/// </summary>
public static partial class DocumentTables
{
    /// <summary>The kinds of table a marker may name.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["comparison", "per-seed", "floor-margins", "runs", "privacy-sweep", "cohorts", "records", "benchmark"];

    /// <summary>The document with every marked table rendered from its results file.</summary>
    /// <param name="markdown">The document's text.</param>
    /// <param name="folder">The folder results paths are relative to (the document's).</param>
    /// <param name="source">The document's name, for error messages.</param>
    /// <exception cref="InvalidDataException">A marker without its end, an unknown kind or option, or a results file that is missing or not results (names the document and line).</exception>
    public static string Render(string markdown, string folder, string source)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(folder);
        var text = new StringBuilder();
        foreach (var (block, rendered) in Blocks(markdown, folder, source))
        {
            text.Append(rendered ?? block.Text);
        }

        return text.ToString();
    }

    /// <summary>Each marked table of a document file that differs from what its results file renders, as a message naming the file, the line and the first differing line.</summary>
    /// <exception cref="InvalidDataException">As <see cref="Render"/>.</exception>
    public static IReadOnlyList<string> Differences(string markdownPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(markdownPath);
        string markdown = File.ReadAllText(markdownPath);
        var problems = new List<string>();
        foreach (var (block, rendered) in Blocks(markdown, Path.GetDirectoryName(Path.GetFullPath(markdownPath))!, markdownPath))
        {
            if (rendered is null || rendered == block.Text)
            {
                continue;
            }

            var committed = block.Text.Split('\n');
            var wanted = rendered.Split('\n');
            int i = 0;
            while (i < Math.Min(committed.Length, wanted.Length) && committed[i] == wanted[i])
            {
                i++;
            }

            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{markdownPath}:{block.Line + i}: the table from {block.Results} ({block.Kind}) differs from its data: the document has \"{Line(committed, i)}\", the data renders \"{Line(wanted, i)}\""));
        }

        return problems;
    }

    /// <summary>One table rendered from a results file.</summary>
    /// <param name="resultsPath">A comparison's <c>results.json</c>, or a cohort study's <c>cohorts.json</c> for <c>cohorts</c>.</param>
    /// <param name="kind">One of <see cref="Kinds"/>.</param>
    /// <param name="options">The marker's options (<c>seed</c>, <c>columns</c>).</param>
    /// <exception cref="ArgumentException">An unknown kind or option, or a value it cannot use.</exception>
    public static string RenderTable(string resultsPath, string kind, IReadOnlyDictionary<string, string> options) => RenderTable(resultsPath, kind, options, null);

    /// <summary>As the public overload, reading each comparison's results file once per document (<paramref name="cache"/>, by path).</summary>
    private static string RenderTable(string resultsPath, string kind, IReadOnlyDictionary<string, string> options, Dictionary<string, ComparisonResults>? cache)
    {
        ArgumentException.ThrowIfNullOrEmpty(resultsPath);
        ArgumentNullException.ThrowIfNull(options);
        var allowed = kind switch { "comparison" => new[] { "seed", "columns" }, "per-seed" => ["columns"], "records" => ["fields"], _ => [] };
        if (!Kinds.Contains(kind))
        {
            throw new ArgumentException($"unknown table kind \"{kind}\" (known: {string.Join(", ", Kinds)})");
        }

        if (options.Keys.FirstOrDefault(k => !allowed.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"the {kind} table takes no option \"{unknown}\"{(allowed.Length > 0 ? $" (it takes: {string.Join(", ", allowed)})" : "")}");
        }

        switch (kind)
        {
            case "cohorts":
                return CohortStudyReport.FormatSummary(Cohorts(resultsPath));
            case "records":
                return Records(resultsPath, options.TryGetValue("fields", out var fields) ? fields.Split(',') : throw new ArgumentException("the records table needs fields=a,b,c"));
            case "benchmark":
                return Benchmark(resultsPath);
        }

        var results = cache is null ? ComparisonResults.Load(resultsPath) : cache.TryGetValue(resultsPath, out var loaded) ? loaded : cache[resultsPath] = ComparisonResults.Load(resultsPath);
        return kind switch
        {
            "comparison" => Comparison(results, options),
            "per-seed" => PerSeed(results.Report, Columns(results.Report, options.GetValueOrDefault("columns", "normalized_cov_error,bigram_r2"))),
            "floor-margins" => FloorMarginTable.FormatMarkdown(results.Report),
            "runs" => RunTable.FormatMarkdown(results.Runs),
            _ => PrivacySweep.FormatMarkdown(PrivacySweep.Rows(results.Report, results.PrivacySweep ?? PrivacyPoints(results.Report))),
        };
    }

    /// <summary>
    /// Where each model row of a comparison with private rows sits in its privacy sweep, from the names the comparison
    /// gives them — for results files written before they recorded it (<see cref="ComparisonResults.PrivacySweep"/>):
    /// "X (DP ε = e)" is family X at ε = e (the floor's private rows are the "private floor" line), and X itself, or
    /// the first other row named "X (…)" ("MST (no noise)"), is its non-private row.
    /// </summary>
    public static IReadOnlyDictionary<string, PrivacyPoint> PrivacyPoints(SeedSweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var floor = report.Rows.FirstOrDefault(r => r.Kind == RowKind.Floor)?.Name;
        var points = new Dictionary<string, PrivacyPoint>();
        foreach (var row in report.Rows.Where(r => r.Kind == RowKind.Model))
        {
            if (PrivateRow().Match(row.Name) is { Success: true } m)
            {
                string family = m.Groups[1].Value;
                points[row.Name] = new PrivacyPoint(family == floor ? $"{family} (private floor)" : family, double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
                if (family != floor && report.Rows.Where(r => r.Kind == RowKind.Model)
                        .FirstOrDefault(r => r.Name == family || (r.Name.StartsWith(family + " (", StringComparison.Ordinal) && !PrivateRow().IsMatch(r.Name))) is { } open)
                {
                    points[open.Name] = new PrivacyPoint(family, null);
                }
            }
        }

        return points;
    }

    private static string Comparison(ComparisonResults results, IReadOnlyDictionary<string, string> options)
    {
        var columns = options.TryGetValue("columns", out var keys) ? Columns(results.Report, keys) : null;

        if (!options.TryGetValue("seed", out var seedText))
        {
            return results.Report.FormatMarkdown(columns);
        }

        if (!int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) || results.Report.Runs.FirstOrDefault(r => r.Seed == seed) is not { } run)
        {
            throw new ArgumentException($"seed={seedText}: the results have seeds {string.Join(", ", results.Seeds)}");
        }

        return new SeedSweepReport([run]).FormatMarkdown(columns);
    }

    /// <summary>Columns by value key: a default column, else any value the results have (its key as the header).</summary>
    private static List<MetricColumn> Columns(SeedSweepReport report, string keys) =>
        [.. keys.Split(',').Select(k => SuiteReport.DefaultColumns.FirstOrDefault(c => c.Key == k)
            ?? report.Runs.SelectMany(r => r.Report.Rows).SelectMany(r => r.Results).Where(m => m.IsComputed && m.Find(k) is not null)
                .Select(m => new MetricColumn(m.MetricName, k, k, "#,0.####")).FirstOrDefault()
            ?? throw new ArgumentException($"no value has the key \"{k}\" (the default columns: {string.Join(", ", SuiteReport.DefaultColumns.Select(c => c.Key))})"))];

    /// <summary>Every row's values seed by seed (rows without any of the values left out).</summary>
    private static string PerSeed(SeedSweepReport report, IReadOnlyList<MetricColumn> columns)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"| row |").AppendJoin("", columns.Select(col => $" {col.Header}, seeds {string.Join(" / ", report.Seeds)} |")).Append('\n');
        text.Append("|---|").Append(string.Concat(columns.Select(_ => "---|"))).Append('\n');
        foreach (var row in report.Rows.Where(r => columns.Any(col => report.Runs.Any(run => !double.IsNaN(run.Report.Rows.First(x => x.Name == r.Name).Value(col.MetricName, col.Key))))))
        {
            text.Append(c, $"| {ComparisonFigures.Label(row)} |");
            foreach (var col in columns)
            {
                text.Append(' ').AppendJoin(" / ", report.Runs.Select(run => run.Report.Rows.First(r => r.Name == row.Name).Value(col.MetricName, col.Key) is var v && double.IsNaN(v)
                    ? "n/a"
                    : v.ToString(col.Format, c))).Append(" |");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Records(string pattern, string[] fields)
    {
        string folder = Path.GetDirectoryName(pattern)!, name = Path.GetFileName(pattern);
        string[] files = name.Contains('*', StringComparison.Ordinal)
            ? [.. Directory.GetFiles(folder, name).Order(StringComparer.Ordinal)]
            : File.Exists(pattern) ? [pattern] : throw new FileNotFoundException($"Could not find file '{pattern}'.");
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"no file matches '{pattern}'.");
        }

        var c = CultureInfo.InvariantCulture;
        var specs = fields.Select(f => Uri.UnescapeDataString(f)).Select(f => f.LastIndexOf(':') is int colon and > 0 ? (Path: f[..colon], Format: f[(colon + 1)..]) : (Path: f, Format: (string?)null)).ToList();
        var text = new StringBuilder();
        text.Append("| file |").AppendJoin("", specs.Select(f => $" {f.Path[(f.Path.IndexOf('.', StringComparison.Ordinal) + 1)..]} |")).Append('\n');
        text.Append("|---|").Append(string.Concat(specs.Select(_ => "---:|"))).Append('\n');
        foreach (string file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            text.Append(c, $"| {Path.GetFileName(file)} |");
            foreach (var (field, format) in specs)
            {
                int dot = field.IndexOf('.', StringComparison.Ordinal);
                bool found = dot > 0 && document.RootElement.TryGetProperty(field[..dot], out var parent) && parent.ValueKind == JsonValueKind.Object
                    ? parent.TryGetProperty(field[(dot + 1)..], out var value)
                    : document.RootElement.TryGetProperty(field, out value);
                if (!found)
                {
                    throw new InvalidDataException($"{file}: no \"{field}\".");
                }

                string cell = value.ValueKind switch
                {
                    JsonValueKind.Number when format is not null => value.GetDouble().ToString(format, c),
                    JsonValueKind.Number when value.TryGetInt64(out long whole) => whole.ToString("N0", c),
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.String => value.GetString()!.Replace("|", "\\|", StringComparison.Ordinal),
                    JsonValueKind.Null => "—",
                    _ => value.GetRawText(),
                };
                text.Append(' ').Append(cell).Append(" |");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Benchmark(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("Benchmarks", out var benchmarks))
        {
            throw new InvalidDataException($"{path}: \"Benchmarks\" is missing (not a BenchmarkDotNet JSON report).");
        }

        var rows = benchmarks.EnumerateArray().Select(b => (
            Method: b.GetProperty("Method").GetString()!,
            Parameters: (b.GetProperty("Parameters").GetString() ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToList(),
            Mean: b.GetProperty("Statistics").GetProperty("Mean").GetDouble() / 1e6,
            Sd: b.GetProperty("Statistics").GetProperty("StandardDeviation").GetDouble() / 1e6,
            N: b.GetProperty("Statistics").GetProperty("N").GetInt32())).ToList();
        var names = rows.SelectMany(r => r.Parameters.Select(p => p[0])).Distinct().ToList();
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("| benchmark |").AppendJoin("", names.Select(n => $" {n} |")).Append(" mean (ms) | sd (ms) | iterations |\n");
        text.Append("|---|").Append(string.Concat(names.Select(_ => "---|"))).Append("---:|---:|---:|\n");
        foreach (var row in rows)
        {
            text.Append(c, $"| {row.Method} |");
            foreach (string name in names)
            {
                text.Append(' ').Append(row.Parameters.FirstOrDefault(p => p[0] == name) is { Length: 2 } p ? p[1] : "").Append(" |");
            }

            text.Append(c, $" {row.Mean:N1} | {row.Sd:N1} | {row.N} |\n");
        }

        return text.ToString();
    }

    private static List<CohortStudyCohort> Cohorts(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("cohorts", out var cohorts))
        {
            throw new InvalidDataException($"{path}: \"cohorts\" is missing (not a cohort study's cohorts.json).");
        }

        return [.. cohorts.EnumerateArray().Select(c => new CohortStudyCohort(
            c.GetProperty("condition").GetString()!,
            [.. c.GetProperty("trainPatients").EnumerateArray().Select(x => x.GetInt32())],
            [.. c.GetProperty("holdoutPatients").EnumerateArray().Select(x => x.GetInt32())],
            ComparisonResults.Parse(c.GetProperty("comparison"), path).Report,
            new Dictionary<string, string>()))];
    }

    private sealed record Block(string Text, int Line, string? Results, string? Kind);

    /// <summary>The document cut into plain text and marked tables (each with its rendering).</summary>
    private static IEnumerable<(Block Block, string? Rendered)> Blocks(string markdown, string folder, string source)
    {
        var lines = markdown.Split('\n');
        var loaded = new Dictionary<string, ComparisonResults>(StringComparer.Ordinal);
        var plain = new StringBuilder();
        int plainStart = 1;
        bool fenced = false;                                         // markers inside ``` code blocks are examples
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string newline = i < lines.Length - 1 ? "\n" : "";
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }

            var start = fenced ? Match.Empty : Start().Match(line.TrimEnd('\r'));
            if (!start.Success)
            {
                if (!fenced && line.StartsWith("<!-- /table", StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{source}:{i + 1}: a table's end marker without its start.");
                }

                if (!fenced && line.StartsWith("<!-- table", StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{source}:{i + 1}: a table marker must read \"<!-- table: PATH KIND [option=value ...] -->\".");
                }

                plain.Append(line).Append(newline);
                continue;
            }

            int end = Array.FindIndex(lines, i + 1, l => l.TrimEnd('\r') == "<!-- /table -->");
            if (end < 0)
            {
                throw new InvalidDataException($"{source}:{i + 1}: the table marker has no \"<!-- /table -->\" after it.");
            }

            plain.Append(line).Append('\n');
            yield return (new Block(plain.ToString(), plainStart, null, null), null);
            plain.Clear();

            string results = start.Groups[1].Value, kind = start.Groups[2].Value;
            var options = new Dictionary<string, string>();
            foreach (var option in start.Groups[3].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = option.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || !options.TryAdd(option[..eq], option[(eq + 1)..]))
                {
                    throw new InvalidDataException($"{source}:{i + 1}: \"{option}\" is not option=value, or repeats an option.");
                }
            }

            string path = Path.Combine(folder, results);
            string rendered;
            try
            {
                rendered = RenderTable(path, kind, options, loaded);
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or JsonException or UnauthorizedAccessException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{source}:{i + 1}: the table from {results}: {e.Message}", e);
            }

            string committed = string.Concat(lines[(i + 1)..end].Select(l => l + "\n"));
            yield return (new Block(committed, i + 2, results, kind), rendered.EndsWith('\n') ? rendered : rendered + "\n");
            plain.Append(lines[end]).Append(end < lines.Length - 1 ? "\n" : "");
            plainStart = end + 1;
            i = end;
        }

        yield return (new Block(plain.ToString(), plainStart, null, null), null);
    }

    private static string Line(string[] lines, int i) => i < lines.Length ? lines[i] : "(nothing)";

    [GeneratedRegex(@"^<!-- table: (\S+) (\S+)((?: \S+)*) -->$")]
    private static partial Regex Start();

    [GeneratedRegex(@"^(.+) \(DP ε = ([0-9.eE+-]+)\)$")]
    private static partial Regex PrivateRow();
}
