using System.CommandLine;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Reporting;

namespace EhrSynth.Generators.Cli.Commands;

/// <summary>
/// <c>ehrsynth evaluate</c>: synthetic data against real data. Synthetic codes outside the real vocabulary are counted
/// and reported (console and JSON); when they are most of the synthetic codes the data is refused, unless
/// <c>--allow-unknown-codes</c> says the mismatch is intended.
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>The share of synthetic code occurrences outside the real vocabulary above which evaluation refuses.</summary>
    public const double MaxUnknownShare = 0.5;

    public static Command Create(CliContext context)
    {
        var real = new Option<string>("--real") { Description = "Real data to compare with (the holdout when --train is given).", Required = true };
        var synthetic = new Option<string>("--synthetic")
        {
            Description = "Synthetic data: a long CSV or Parquet file, or a .npy with its codes file; or several parts (shards) — a folder, a pattern such as 'out/shard-*.parquet', "
                          + "or a comma-separated list — evaluated part by part with the fidelity metrics, the same numbers as the parts put together.",
            Required = true,
        };
        var train = new Option<string?>("--train") { Description = "The generator's training data: enables the privacy and TSTR metrics." };
        var metrics = new Option<string?>("--metrics") { Description = "Comma-separated metric names (default: all that apply)." };
        var outputJson = new Option<string?>("--output-json") { Description = "Write every value as JSON to this file." };
        var outputMarkdown = new Option<string?>("--output-md") { Description = "Write a Markdown table of every value to this file (figures: use compare)." };
        var threshold = new Option<double?>("--threshold") { Description = "Binarise synthetic probabilities (.npy of floats in [0, 1]) at this threshold." };
        var allowUnknown = new Option<bool>("--allow-unknown-codes") { Description = "Evaluate even when most synthetic codes are not in the real vocabulary (they are dropped)." };
        var seed = CliOptions.Seed();
        var overwrite = CliOptions.Overwrite();
        var source = new SourceCliOptions();
        var command = new Command("evaluate", "Evaluate synthetic data against real data.") { real, synthetic, train, metrics, outputJson, outputMarkdown, threshold, allowUnknown, seed, overwrite };
        foreach (var option in source.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((r, token) => Task.FromResult(Run(
            context,
            r.GetValue(real)!,
            r.GetValue(synthetic)!,
            r.GetValue(train),
            r.GetValue(metrics),
            r.GetValue(outputJson),
            r.GetValue(outputMarkdown),
            r.GetValue(allowUnknown),
            r.GetValue(seed),
            r.GetValue(overwrite),
            source.Parse(r, r.GetValue(threshold)),
            r.GetValue(CliOptions.Json),
            token)));
        return command;
    }

    private static int Run(CliContext context, string realSpec, string syntheticPath, string? trainSpec, string? metricNames, string? jsonPath, string? markdownPath, bool allowUnknown, int seed, bool overwrite, SourceOptions sourceOptions, bool asJson, CancellationToken ct)
    {
        foreach (var path in new[] { jsonPath, markdownPath }.OfType<string>())
        {
            AtomicFile.CheckFileTarget(path, overwrite);
        }

        if (SyntheticParts(syntheticPath) is { } parts)
        {
            CheckSharded(parts, trainSpec, metricNames);
            return RunSharded(context, DataSource.Load(realSpec, sourceOptions with { Threshold = null }, ct), parts, metricNames, (jsonPath, markdownPath, overwrite), seed, allowUnknown, sourceOptions, asJson, ct);
        }

        var suite = trainSpec is null ? MetricSuite.CreateFidelity() : MetricSuite.CreateDefault();
        if (metricNames is not null)
        {
            var wanted = metricNames.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var unknown = wanted.Where(w => !suite.Metrics.Any(m => m.Name.Equals(w, StringComparison.OrdinalIgnoreCase))).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"Unknown metric(s) {string.Join(", ", unknown)}. Available: {string.Join(", ", suite.Metrics.Select(m => m.Name))}.");
            }

            suite = new MetricSuite(suite.Metrics.Where(m => wanted.Contains(m.Name, StringComparer.OrdinalIgnoreCase)));
        }

        var real = DataSource.Load(realSpec, sourceOptions with { Threshold = null }, ct);

        var synthetic = DataSource.LoadFile(syntheticPath, sourceOptions with { Empty = sourceOptions.Empty ?? EmptyPatientPolicy.Keep }, ct);
        var train = trainSpec is null ? null : DataSource.Load(trainSpec, sourceOptions with { Threshold = null }, ct);
        var unknownCodes = UnknownCodes(real.Vocabulary, synthetic);
        if (unknownCodes.Occurrences > 0)
        {
            string list = string.Join(", ", unknownCodes.Codes.Take(20)) + (unknownCodes.Codes.Count > 20 ? $" and {unknownCodes.Codes.Count - 20} more" : "");
            string summary = CliContext.Invariant($"{unknownCodes.Occurrences:N0} of {synthetic.StoredCodeCount:N0} synthetic code occurrences ({unknownCodes.Share:P1}) use {unknownCodes.Codes.Count:N0} code(s) that the real data does not have: {list}");
            if (unknownCodes.Share > MaxUnknownShare && !allowUnknown)
            {
                throw new EhrDataFormatException($"{summary}. The synthetic data does not look like it was made for this real data; pass --allow-unknown-codes to evaluate it anyway (those codes are dropped)", syntheticPath);
            }

            context.Note($"warning: {summary}; they are dropped from the evaluation.");
        }

        var aligned = synthetic.Vocabulary.Equals(real.Vocabulary) ? synthetic : synthetic.AlignTo(real.Vocabulary, throwOnMissing: false);
        var row = suite.Evaluate(Path.GetFileName(syntheticPath), RowKind.Model, real, aligned, new EvaluationContext { Train = train, Seed = seed }, cancellationToken: ct);
        var report = new SuiteReport([row]);
        var values = report.AllValues().Select(v => new { metric = v.Metric, key = v.Value.Key, value = double.IsFinite(v.Value.Value) ? v.Value.Value : (double?)null, v.Value.Description }).ToList();
        var document = new
        {
            synthetic = Path.GetFullPath(syntheticPath),
            unknownCodes = new { occurrences = unknownCodes.Occurrences, share = unknownCodes.Share, codes = unknownCodes.Codes },
            values,
            notComputed = row.Results.Where(m => !m.IsComputed).Select(m => new { metric = m.MetricName, reason = m.NotComputedReason }).ToList(),
        };
        if (jsonPath is not null)
        {
            AtomicFile.WriteText(jsonPath, w => w.Write(System.Text.Json.JsonSerializer.Serialize(document, CliContext.Json)), overwrite);
        }

        if (markdownPath is not null)
        {
            var md = ComparisonReport.Markdown(report, new ReportContext($"Evaluation of {Path.GetFileName(syntheticPath)}", [$"Real: {realSpec}", $"Train: {trainSpec ?? "(none)"}"]), withFigure1: false, withFigure2: false);
            AtomicFile.WriteText(markdownPath, w => w.Write(md), overwrite);
        }

        if (asJson)
        {
            context.WriteJson(document);
        }
        else
        {
            context.Output.WriteLine(report.FormatText(SuiteReport.DefaultColumns));
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// The part files when <paramref name="spec"/> names several (a folder, a pattern with * or ?, or a comma-separated
    /// list), in natural order (shard-2 before shard-10); <see langword="null"/> for a single file.
    /// </summary>
    /// <exception cref="FileNotFoundException">A pattern or folder matches no data file.</exception>
    internal static IReadOnlyList<string>? SyntheticParts(string spec)
    {
        IEnumerable<string> files;
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            files = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }
        else if (spec.IndexOfAny(['*', '?']) >= 0)
        {
            string folder = Path.GetDirectoryName(spec) is { Length: > 0 } d ? d : ".";
            files = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, Path.GetFileName(spec)) : [];
        }
        else if (Directory.Exists(spec) && !DataSource.IsSourceFolder(spec))
        {
            files = Directory.EnumerateFiles(spec).Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase));
        }
        else
        {
            return null;
        }

        var list = files.Order(NaturalOrder.Instance).ToList();
        return list.Count > 0 ? list : throw new FileNotFoundException($"--synthetic '{TextSafety.Printable(spec, 80)}' names no data file.", spec);
    }

    /// <summary>What several synthetic parts cannot do: the training data's metrics, or a metric that needs records side by side.</summary>
    private static void CheckSharded(IReadOnlyList<string> parts, string? train, string? metricNames)
    {
        var problems = new List<string>();
        if (train is not null)
        {
            problems.Add($"--train: with {parts.Count} synthetic parts only the fidelity metrics are computed ({string.Join(", ", Metrics.ShardedEvaluation.MetricNames)}), part by part; evaluate one part with --train for the privacy and utility metrics.");
        }

        var wanted = metricNames?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        var unknownMetrics = wanted.Where(w => !Metrics.ShardedEvaluation.MetricNames.Contains(w, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknownMetrics.Count > 0)
        {
            problems.Add($"Metric(s) {string.Join(", ", unknownMetrics)} are not computed part by part. Available with several synthetic parts: {string.Join(", ", Metrics.ShardedEvaluation.MetricNames)}.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }
    }

    private static int RunSharded(CliContext context, EhrDataset real, IReadOnlyList<string> parts, string? metricNames, (string? Json, string? Markdown, bool Overwrite) outputs, int seed, bool allowUnknown, SourceOptions sourceOptions, bool asJson, CancellationToken ct)
    {
        var wanted = metricNames?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [.. Metrics.ShardedEvaluation.MetricNames];

        long occurrences = 0, unknown = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var checkedParts = new bool[parts.Count];
        var loaders = parts.Select((path, i) => (Func<EhrDataset>)(() =>
        {
            var data = DataSource.LoadFile(path, sourceOptions with { Empty = sourceOptions.Empty ?? EmptyPatientPolicy.Keep }, ct);
            if (!checkedParts[i])
            {
                checkedParts[i] = true;
                var codes = UnknownCodes(real.Vocabulary, data);
                (occurrences, unknown) = (occurrences + data.StoredCodeCount, unknown + codes.Occurrences);
                seen.UnionWith(codes.Codes);
            }

            return data;
        })).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var all = Metrics.ShardedEvaluation.Evaluate(real, loaders, new EvaluationContext { Seed = seed }, ct);
        if (unknown > 0)
        {
            double share = occurrences == 0 ? 0 : (double)unknown / occurrences;
            string summary = CliContext.Invariant($"{unknown:N0} of {occurrences:N0} synthetic code occurrences ({share:P1}) over the {parts.Count} parts use {seen.Count:N0} code(s) that the real data does not have: {string.Join(", ", seen.Take(20))}");
            if (share > MaxUnknownShare && !allowUnknown)
            {
                throw new EhrDataFormatException($"{summary}. The synthetic data does not look like it was made for this real data; pass --allow-unknown-codes to evaluate it anyway (those codes are dropped)", parts[0]);
            }

            context.Note($"warning: {summary}; they are dropped from the evaluation.");
        }

        var results = all.Where(r => wanted.Contains(r.MetricName, StringComparer.OrdinalIgnoreCase)).ToList();
        var row = new SuiteRow(CliContext.Invariant($"{parts.Count} parts"), RowKind.Model, results, watch.Elapsed);
        var report = new SuiteReport([row]);
        var document = new
        {
            synthetic = parts.Select(Path.GetFullPath).ToList(),
            seconds = Math.Round(watch.Elapsed.TotalSeconds, 2),
            unknownCodes = new { occurrences = unknown, share = occurrences == 0 ? 0 : (double)unknown / occurrences, codes = seen.ToList() },
            values = report.AllValues().Select(v => new { metric = v.Metric, key = v.Value.Key, value = double.IsFinite(v.Value.Value) ? v.Value.Value : (double?)null, v.Value.Description }).ToList(),
            notComputed = results.Where(m => !m.IsComputed).Select(m => new { metric = m.MetricName, reason = m.NotComputedReason }).ToList(),
        };
        if (outputs.Json is not null)
        {
            AtomicFile.WriteText(outputs.Json, w => w.Write(System.Text.Json.JsonSerializer.Serialize(document, CliContext.Json)), outputs.Overwrite);
        }

        if (outputs.Markdown is not null)
        {
            var md = ComparisonReport.Markdown(report, new ReportContext($"Evaluation of {parts.Count} synthetic parts", [.. parts.Select(p => $"Part: {Path.GetFileName(p)}")]), withFigure1: false, withFigure2: false);
            AtomicFile.WriteText(outputs.Markdown, w => w.Write(md), outputs.Overwrite);
        }

        if (asJson)
        {
            context.WriteJson(document);
        }
        else
        {
            context.Output.WriteLine(report.FormatText(SuiteReport.DefaultColumns));
            context.Output.WriteLine(CliContext.Invariant($"{parts.Count} parts evaluated one at a time in {watch.Elapsed.TotalSeconds:F1} s."));
        }

        return ExitCodes.Ok;
    }

    /// <summary>Names compared with their digit runs as numbers: shard-2 before shard-10.</summary>
    private sealed class NaturalOrder : IComparer<string>
    {
        public static NaturalOrder Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            x ??= "";
            y ??= "";
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
                {
                    int si = i, sj = j;
                    while (i < x.Length && char.IsAsciiDigit(x[i]))
                    {
                        i++;
                    }

                    while (j < y.Length && char.IsAsciiDigit(y[j]))
                    {
                        j++;
                    }

                    var a = x.AsSpan(si, i - si).TrimStart('0');
                    var b = y.AsSpan(sj, j - sj).TrimStart('0');
                    int byLength = a.Length.CompareTo(b.Length);
                    int byDigits = byLength != 0 ? byLength : a.SequenceCompareTo(b);
                    if (byDigits != 0)
                    {
                        return byDigits;
                    }

                    continue;
                }

                int c = x[i].CompareTo(y[j]);
                if (c != 0)
                {
                    return c;
                }

                (i, j) = (i + 1, j + 1);
            }

            return (x.Length - i).CompareTo(y.Length - j) is var rest and not 0 ? rest : string.CompareOrdinal(x, y);
        }
    }

    private static (long Occurrences, double Share, IReadOnlyList<string> Codes) UnknownCodes(CodeVocabulary real, EhrDataset synthetic)
    {
        if (synthetic.Vocabulary.Equals(real))
        {
            return (0, 0, []);
        }

        var prevalence = synthetic.CodeCounts();
        var codes = new List<(string Code, int Count)>();
        long occurrences = 0;
        for (int c = 0; c < synthetic.CodeCount; c++)
        {
            if (!real.Contains(synthetic.Vocabulary[c]) && prevalence[c] > 0)
            {
                codes.Add((synthetic.Vocabulary[c], prevalence[c]));
                occurrences += prevalence[c];
            }
        }

        return (occurrences, synthetic.StoredCodeCount == 0 ? 0 : (double)occurrences / synthetic.StoredCodeCount, [.. codes.OrderByDescending(c => c.Count).Select(c => c.Code)]);
    }
}
