using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Reporting;
using EhrSynth.Generators.Torch;
using EhrSynth.Pipeline;
using Spectre.Console;

namespace EhrSynth.Cli;

/// <summary>The <c>ehrsynth</c> command line: datasets, train, generate, evaluate, compare.</summary>
internal sealed class CliApp(TextWriter output, TextWriter error, bool interactive)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Runs a command line; returns the exit code (0 ok, 1 bad usage, 2 bad input data, 3 training failure).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken = default) =>
        new CliApp(output, error, interactive).RunAsync(args, cancellationToken);

    private async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var json = new Option<bool>("--json") { Description = "Machine-readable JSON output.", Recursive = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, training, sampling and metrics.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var budget = new Option<string>("--budget") { Description = "quick (minutes on a CPU), long (the quick models trained for longer: about 40 minutes on 2 cores for five families) or paper (the paper's settings; meant for a GPU).", DefaultValueFactory = _ => "quick" };
        var epochs = new Option<int?>("--epochs") { Description = "Override the training epochs (for short runs)." };

        var root = new RootCommand("EhrSynth: synthetic EHR generators and metrics.");
        root.Options.Add(json);

        var datasets = new Command("datasets", "List the embedded datasets with their statistics.");
        datasets.SetAction(r => Datasets(r.GetValue(json)));
        root.Subcommands.Add(datasets);

        var trainFamily = new Option<string>("--family") { Description = "vae, medgan, corgan, ehrdiff, ddpm or llm.", Required = true };
        var trainData = new Option<string>("--data") { Description = "Embedded name, MIMIC-III folder, UCI zip, long CSV or .npy.", DefaultValueFactory = _ => EhrDatasets.UciDiabetes130Name };
        var trainOutput = new Option<string>("--output") { Description = "Folder to save the trained generator.", Required = true };
        var train = new Command("train", "Train a generator and save it.") { trainFamily, trainData, trainOutput, budget, seed, device, epochs };
        train.SetAction((r, token) => Train(r.GetValue(trainFamily)!, r.GetValue(trainData)!, r.GetValue(trainOutput)!, r.GetValue(budget)!, r.GetValue(seed), r.GetValue(device)!, r.GetValue(epochs), r.GetValue(json), token));
        root.Subcommands.Add(train);

        var model = new Option<string>("--model") { Description = "A saved generator folder.", Required = true };
        var count = new Option<int>("--count") { Description = "Patients to generate.", Required = true };
        var genOutput = new Option<string>("--output") { Description = "Output file: .csv (long CSV with titles) or .npy.", Required = true };
        var genSeed = new Option<int?>("--seed") { Description = "Sampling seed (default: the model's)." };
        var generate = new Command("generate", "Generate patients from a saved generator.") { model, count, genOutput, genSeed };
        generate.SetAction((r, token) => Task.FromResult(Generate(r.GetValue(model)!, r.GetValue(count), r.GetValue(genOutput)!, r.GetValue(genSeed), r.GetValue(json), token)));
        root.Subcommands.Add(generate);

        var real = new Option<string>("--real") { Description = "Real data to compare with (the holdout when --train is given).", Required = true };
        var synthetic = new Option<string>("--synthetic") { Description = "Synthetic data (long CSV or .npy).", Required = true };
        var trainSet = new Option<string?>("--train") { Description = "The generator's training data: enables privacy and TSTR metrics." };
        var metrics = new Option<string?>("--metrics") { Description = "Comma-separated metric names (default: all that apply)." };
        var outputJson = new Option<string?>("--output-json") { Description = "Write every value as JSON." };
        var outputMarkdown = new Option<string?>("--output-md") { Description = "Write a Markdown report (with figures beside it)." };
        var evaluate = new Command("evaluate", "Evaluate synthetic data against real data.") { real, synthetic, trainSet, metrics, outputJson, outputMarkdown, seed };
        evaluate.SetAction((r, token) => Task.FromResult(Evaluate(r.GetValue(real)!, r.GetValue(synthetic)!, r.GetValue(trainSet), r.GetValue(metrics), r.GetValue(outputJson), r.GetValue(outputMarkdown), r.GetValue(seed), r.GetValue(json), token)));
        root.Subcommands.Add(evaluate);

        var families = new Option<string?>("--families") { Description = "Comma-separated families (default: vae,medgan,corgan,ehrdiff,llm)." };
        var compareData = new Option<string>("--data") { Description = "Embedded name, MIMIC-III folder, UCI zip, long CSV or .npy.", DefaultValueFactory = _ => EhrDatasets.UciDiabetes130Name };
        var compareOutput = new Option<string>("--output") { Description = "Report folder.", DefaultValueFactory = _ => "ehrsynth-report" };
        var compare = new Command("compare", "The quickstart's pipeline: split, train, generate, evaluate, report.") { families, compareData, compareOutput, budget, seed, device, epochs };
        compare.SetAction((r, token) => Compare(r.GetValue(families), r.GetValue(compareData)!, r.GetValue(compareOutput)!, r.GetValue(budget)!, r.GetValue(seed), r.GetValue(device)!, r.GetValue(epochs), r.GetValue(json), token));
        root.Subcommands.Add(compare);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine(e.Message);
            }

            error.WriteLine("Run 'ehrsynth --help' for usage.");
            return ExitCodes.BadUsage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (Exception e) when (Classify(e) is { } code)
        {
            error.WriteLine($"error: {e.Message}");
            return code;
        }
    }

    private static int? Classify(Exception e) => e switch
    {
        OperationCanceledException => ExitCodes.TrainingFailed,
        EhrDataFormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException => ExitCodes.BadData,
        ArgumentException or ValidationException or FormatException => ExitCodes.BadUsage,
        TrainingDivergedException or InvalidOperationException => ExitCodes.TrainingFailed,
        _ => null,
    };

    private int Datasets(bool asJson)
    {
        var rows = EhrDatasets.All.Select(info =>
        {
            var data = EhrDatasets.Load(info.Name);
            return new { info.Name, info.Title, Patients = data.PatientCount, Codes = data.CodeCount, CodesPerPatient = Math.Round(data.MeanCodesPerPatient, 2), info.Licence };
        }).ToList();
        if (asJson)
        {
            output.WriteLine(JsonSerializer.Serialize(rows, Json));
            return ExitCodes.Ok;
        }

        if (interactive)
        {
            var table = new Table().AddColumns("name", "title", "patients", "codes", "codes/patient", "licence");
            foreach (var r in rows)
            {
                table.AddRow(r.Name, Markup.Escape(r.Title), r.Patients.ToString("N0", CultureInfo.InvariantCulture), r.Codes.ToString(CultureInfo.InvariantCulture), r.CodesPerPatient.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Licence));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }

        foreach (var r in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name}\t{r.Patients}\t{r.Codes}\t{r.CodesPerPatient}\t{r.Title}\t{r.Licence}"));
        }

        return ExitCodes.Ok;
    }

    private async Task<int> Train(string familyName, string dataSpec, string folder, string budgetName, int seed, string deviceText, int? epochs, bool asJson, CancellationToken ct)
    {
        var family = ModelFamilies.Find(familyName);
        var budget = ParseBudget(budgetName);
        var data = DataSource.Load(dataSpec);
        WarnPaperBudget(budget, [family]);
        using var generator = family.Create(budget, seed, ComputeDevice.Parse(deviceText), epochs);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await RunWithProgress($"training {family.Display}", p => generator.FitAsync(data, p, ct));
        generator.Save(folder);
        var result = new { family = family.Display, patients = data.PatientCount, codes = data.CodeCount, seconds = Math.Round(watch.Elapsed.TotalSeconds, 1), folder = Path.GetFullPath(folder) };
        output.WriteLine(asJson ? JsonSerializer.Serialize(result, Json) : $"Trained {family.Display} on {data.PatientCount:N0} patients in {watch.Elapsed.TotalSeconds:F0} s; saved to {result.folder}");
        return ExitCodes.Ok;
    }

    private int Generate(string folder, int count, string path, int? seed, bool asJson, CancellationToken ct)
    {
        if (count < 1)
        {
            throw new ArgumentException($"--count must be at least 1 (got {count}).");
        }

        var manifest = GeneratorManifest.Read(folder);
        using var generator = ModelFamilies.ForManifest(manifest).Load(folder, null);
        var data = generator.Generate(count, seed, cancellationToken: ct);
        DataSource.Write(path, data);
        var report = generator.LastGenerationReport!;
        var result = new { family = manifest.Family, count, empty = report.EmptyRecords, invalid = report.InvalidRecords, seconds = Math.Round(report.Elapsed.TotalSeconds, 2), output = Path.GetFullPath(path) };
        output.WriteLine(asJson ? JsonSerializer.Serialize(result, Json) : $"Generated {count:N0} patients with {manifest.Family} in {report.Elapsed.TotalSeconds:F1} s → {result.output}");
        return ExitCodes.Ok;
    }

    private int Evaluate(string realSpec, string syntheticPath, string? trainSpec, string? metricNames, string? jsonPath, string? markdownPath, int seed, bool asJson, CancellationToken ct)
    {
        var real = DataSource.Load(realSpec);
        var synthetic = DataSource.Load(syntheticPath, acceptEmptyRecords: true, threshold: null);
        var train = trainSpec is null ? null : DataSource.Load(trainSpec);
        var suite = train is null ? MetricSuite.CreateFidelity() : MetricSuite.CreateDefault();
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

        var row = suite.Evaluate(Path.GetFileName(syntheticPath), RowKind.Model, real, synthetic, new EvaluationContext { Train = train, Seed = seed }, cancellationToken: ct);
        var report = new SuiteReport([row]);
        var values = report.AllValues().Select(v => new { metric = v.Metric, key = v.Value.Key, value = double.IsNaN(v.Value.Value) ? (double?)null : v.Value.Value, v.Value.Description }).ToList();
        if (jsonPath is not null)
        {
            AtomicFile.WriteText(jsonPath, w => w.Write(JsonSerializer.Serialize(values, Json)));
        }

        if (markdownPath is not null)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(markdownPath))!;
            var md = ComparisonReport.Markdown(report, new ReportContext($"Evaluation of {Path.GetFileName(syntheticPath)}", [$"Real: {realSpec}", $"Train: {trainSpec ?? "(none)"}"]), withFigure1: false, withFigure2: false);
            AtomicFile.WriteText(markdownPath, w => w.Write(md));
            _ = folder;
        }

        output.WriteLine(asJson ? JsonSerializer.Serialize(values, Json) : report.FormatText(SuiteReport.DefaultColumns));
        return ExitCodes.Ok;
    }

    private async Task<int> Compare(string? familyList, string dataSpec, string folder, string budgetName, int seed, string deviceText, int? epochs, bool asJson, CancellationToken ct)
    {
        var chosen = familyList is null ? ModelFamilies.Quickstart : familyList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ModelFamilies.Find).ToList();
        var budget = ParseBudget(budgetName);
        WarnPaperBudget(budget, chosen);
        var options = new PipelineOptions
        {
            Families = chosen,
            Budget = budget,
            Seed = seed,
            Data = DataSource.Load(dataSpec),
            DataName = dataSpec,
            OutputFolder = folder,
            Device = ComputeDevice.Parse(deviceText),
            Epochs = epochs,
        };
        var progress = new ForwardingProgress(e =>
        {
            if (e.Training is { IsEpochEnd: true } t && !asJson)
            {
                error.WriteLine($"  {e.Family} {t.Phase} epoch {t.Epoch}/{t.TotalEpochs} {string.Join(" ", t.Losses.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:G4}")))}");
            }
            else if (e.Training is null && e.Metric is null && !asJson)
            {
                error.WriteLine($"[{e.Stage}] {e.Message}");
            }
        });
        var result = await ComparisonPipeline.RunAsync(options, progress, ct);
        if (asJson)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                report = result.ReportPath,
                rows = result.Report.Rows.Select(r => new { r.Name, kind = r.Kind.ToString(), values = r.Results.SelectMany(m => m.Values.Select(v => new { metric = m.MetricName, v.Key, value = double.IsNaN(v.Value) ? (double?)null : v.Value })) }),
            }, Json));
        }
        else
        {
            output.WriteLine(result.Report.FormatText());
            output.WriteLine($"Report: {result.ReportPath}");
        }

        return ExitCodes.Ok;
    }

    private async Task RunWithProgress(string label, Func<IProgress<TrainingProgress>, Task> run)
    {
        if (!interactive)
        {
            await run(new ForwardingProgress<TrainingProgress>(p =>
            {
                if (p.IsEpochEnd)
                {
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Phase} epoch {p.Epoch}/{p.TotalEpochs} {string.Join(" ", p.Losses.Select(kv => $"{kv.Key} {kv.Value:G4}"))}"));
                }
            }));
            return;
        }

        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask(label);
            await run(new ForwardingProgress<TrainingProgress>(p =>
            {
                task.Description = $"{label}: {p.Phase} {p.Epoch}/{p.TotalEpochs}";
                task.Value = 100.0 * p.Step / Math.Max(1, p.TotalSteps);
            }));
            task.Value = 100;
        });
    }

    private void WarnPaperBudget(Budget budget, IReadOnlyList<ModelFamily> families)
    {
        if (budget == Budget.Paper && !TorchDevices.IsCudaAvailable)
        {
            double hours = families.Sum(f => f.PaperCpuHours);
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: --budget paper is meant for a GPU; on this CPU it will take roughly {hours:F0} hours on UCI Diabetes ({string.Join(", ", families.Select(f => $"{f.Display} ≈ {f.PaperCpuHours:F1} h"))})."));
        }
    }

    private static Budget ParseBudget(string text) => text.ToLowerInvariant() switch
    {
        "quick" => Budget.Quick,
        "long" => Budget.Long,
        "paper" => Budget.Paper,
        _ => throw new ArgumentException($"--budget must be quick, long or paper (got '{text}')."),
    };

    private sealed class ForwardingProgress(Action<PipelineEvent> report) : IProgress<PipelineEvent>
    {
        public void Report(PipelineEvent value) => report(value);
    }

    private sealed class ForwardingProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
