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
        var synthetic = new Option<string>("--synthetic") { Description = "Synthetic data: a long CSV, or a .npy with its codes file.", Required = true };
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
