using System.CommandLine;
using System.Globalization;
using EhrSynth.Generators.Experiments;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Cli.Commands;

/// <summary><c>ehrsynth compare</c>: the paper's comparison (<see cref="ComparisonExperiment"/>) over one or more seeds.</summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var families = new Option<string?>("--families") { Description = $"Comma-separated families (default: {string.Join(",", context.DefaultFamilies.Select(f => f.Name))}; known: {context.Families.Names})." };
        var data = CliOptions.Data();
        var output = new Option<string>("--output") { Description = "Report folder (new, empty, or an earlier ehrsynth report), written whole at the end.", DefaultValueFactory = _ => "ehrsynth-report" };
        var seeds = new Option<string?>("--seeds") { Description = "Comma-separated seeds, for example 1,2,3: every cell becomes mean ± sd over them (overrides --seed)." };
        var generateCount = new Option<int?>("--generate-count") { Description = "Patients each model generates (default: as many as the holdout)." };
        var budget = CliOptions.Budget();
        var seed = CliOptions.Seed();
        var device = CliOptions.Device();
        var epochs = CliOptions.Epochs();
        var source = new SourceCliOptions();
        var familyOptions = FamilyCliOptions.For(context.Families, compare: true);
        var dpEpsilon = PrivacyCliOptions.Epsilon(list: true, context.Families);
        var dpDelta = PrivacyCliOptions.Delta();
        var dpClip = PrivacyCliOptions.Clip();
        var dpBatch = PrivacyCliOptions.Batch();
        var studies = new StudyCliOptions(context.Families);
        var cohorts = CohortCliOptions.Cohorts();
        var cohortSize = CohortCliOptions.Size();
        var minAcceptance = CohortCliOptions.MinAcceptance();
        var command = new Command("compare", "The quickstart's comparison: split, train, generate, evaluate beside the floor and the ceiling, report.")
        {
            families, data, output, seeds, generateCount, budget, seed, device, epochs, dpEpsilon, dpDelta, dpClip, dpBatch,
            cohorts, cohortSize, minAcceptance,
        };
        foreach (var option in studies.All.Concat(familyOptions.All).Concat(source.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((r, token) => Run(
            context,
            r.GetValue(families),
            r.GetValue(data)!,
            r.GetValue(output)!,
            r.GetValue(seeds) is { } list ? ParseSeeds(list) : [r.GetValue(seed)],
            r.GetValue(generateCount),
            r.GetValue(budget)!,
            r.GetValue(device)!,
            r.GetValue(epochs),
            source.Parse(r),
            (familyOptions, familyOptions.Parse(r)),
            (r.GetValue(dpEpsilon), r.GetValue(dpDelta), r.GetValue(dpClip), r.GetValue(dpBatch)),
            (studies, studies.Parse(r)),
            (r.GetValue(cohorts), r.GetValue(cohortSize), r.GetValue(minAcceptance)),
            r.GetValue(CliOptions.Json),
            token));
        return command;
    }

    /// <summary>Warns, before any training, that the paper budget on a CPU takes hours (with each family's estimate).</summary>
    public static void WarnPaperBudget(CliContext context, string budget, IReadOnlyList<GeneratorFamily> families, ComputeDevice device)
    {
        if (!budget.Equals(GeneratorFamily.Paper, StringComparison.OrdinalIgnoreCase) || (device.Kind != ComputeDeviceKind.Cpu && TorchDevices.IsCudaAvailable))
        {
            return;
        }

        var known = families.Where(f => f.PaperCpuHours is not null).ToList();
        double hours = known.Sum(f => f.PaperCpuHours!.Value);
        context.Note(string.Create(CultureInfo.InvariantCulture,
            $"warning: --budget paper is meant for a GPU; on this CPU it will take roughly {hours:F0} hours on UCI Diabetes ({string.Join(", ", known.Select(f => $"{f.DisplayName} ≈ {f.PaperCpuHours:F1} h"))})."));
    }

    private static IReadOnlyList<int> ParseSeeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var seeds = new List<int>();
        foreach (var part in parts)
        {
            seeds.Add(int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int s)
                ? s
                : throw new ArgumentException($"--seeds takes comma-separated integers (got '{IO.TextSafety.Printable(part, 20)}')."));
        }

        return seeds.Count > 0 ? seeds : throw new ArgumentException("--seeds is empty.");
    }

    private static async Task<int> Run(CliContext context, string? familyList, string dataSpec, string folder, IReadOnlyList<int> seeds, int? generateCount, string budgetText, string deviceText, int? epochs, SourceOptions sourceOptions, (FamilyCliOptions Options, IReadOnlyDictionary<string, string> Values) own, (string? Epsilon, double? Delta, double? Clip, int? Batch) dp, (StudyCliOptions Options, (string? Name, IReadOnlyDictionary<string, string> Arguments) Chosen) study, (string? Cohorts, int? Size, double? MinAcceptance) cohort, bool asJson, CancellationToken ct)
    {
        CohortCliOptions.Check(study.Chosen.Name, cohort, (dp.Epsilon, generateCount));
        var epsilons = PrivacyCliOptions.Parse(dp.Epsilon, dp.Delta, dp.Clip, list: true, dp.Batch);
        var chosen = study.Options.Families(study.Chosen.Name, study.Chosen.Arguments, familyList)
            ?? (familyList is null
                ? context.DefaultFamilies
                : [.. familyList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(context.Families.Find)]);
        if (chosen.Count == 0)
        {
            throw new ArgumentException($"--families names no family (got '{IO.TextSafety.Printable(familyList ?? "", 40)}'); choose from {context.Families.Names}.");
        }

        string budget = CliOptions.ParseBudget(budgetText, chosen);
        var expanded = own.Options.Rows(chosen, budget, own.Values);
        chosen = expanded.Rows;
        var privacyPoints = PrivacyCliOptions.Points(chosen, epsilons);
        chosen = PrivacyCliOptions.WithPrivateRows(chosen, epsilons, dp.Delta, dp.Clip, context.Note, dp.Batch);
        var device = ComputeDevice.Parse(deviceText);
        if (expanded.Note is { } note)
        {
            context.Note(note);
        }

        var loaded = DataSource.LoadWithReport(dataSpec, sourceOptions, ct);
        var options = new ExperimentOptions
        {
            Families = chosen,
            Data = PrivacyCliOptions.NeedsPublicVocabulary(epsilons, chosen)
                ? PrivacyCliOptions.OnPublicVocabulary(loaded.Dataset, loaded.Report?.CodeSystem ?? Data.CodeSystem.Unknown, context.Note)
                : loaded.Dataset,
            DataName = dataSpec,
            Budget = budget,
            Seeds = seeds,
            GenerateCount = generateCount,
            Epochs = epochs,
            OutputFolder = folder,
            Device = device,
            ScalingSeries = study.Options.ScalingSeries(study.Chosen.Name, chosen) ?? expanded.Series,
            PrivacyPoints = privacyPoints,
        };
        WarnPaperBudget(context, budget, chosen, device);
        var progress = new TrainingProgressPrinter.Forward<ExperimentEvent>(e =>
        {
            if (asJson)
            {
                return;
            }

            if (e.Training is { IsEpochEnd: true } t)
            {
                context.Note($"  {e.Family}{(seeds.Count > 1 ? $" (seed {e.Seed})" : "")}{TrainingProgressPrinter.Line(t)[1..]}");
            }
            else if (e.Training is null && e.Metric is null)
            {
                context.Note($"[{e.Stage.ToString().ToLowerInvariant()}] {e.Message}");
            }
        });
        if (CohortCliOptions.IsStudy(study.Chosen.Name))
        {
            var studyOptions = new CohortStudyOptions
            {
                Experiment = options,
                Cohorts = CohortCliOptions.Parse(cohort.Cohorts, dataSpec),
                CohortSize = cohort.Size ?? 1_000,
                Sampling = new CohortSamplingOptions { MinimumAcceptance = cohort.MinAcceptance ?? 1e-4 },
            };
            var studied = await CohortStudy.RunAsync(studyOptions, progress, ct).ConfigureAwait(false);
            if (asJson)
            {
                context.Output.WriteLine(File.ReadAllText(Path.Combine(Path.GetDirectoryName(studied.TablePath)!, CohortStudy.ResultsFile)));
                return ExitCodes.Ok;
            }

            context.Output.WriteLine(Reporting.CohortStudyReport.FormatMarkdown(studied.Cohorts).Split(Environment.NewLine + "###")[0].TrimEnd());
            context.Output.WriteLine($"Report: {studied.TablePath}");
            return ExitCodes.Ok;
        }

        var result = await ComparisonExperiment.RunAsync(options, progress, ct).ConfigureAwait(false);
        if (asJson)
        {
            context.Output.WriteLine(File.ReadAllText(result.ResultsPath));
            return ExitCodes.Ok;
        }

        context.Output.WriteLine(result.Report.FormatText());
        foreach (var family in result.Runs.GroupBy(r => r.Family))
        {
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{family.Key}: trained in {family.Average(r => r.Training.TotalSeconds):F0} s, generated in {family.Average(r => r.Generation.TotalSeconds):F1} s{(seeds.Count > 1 ? " (mean per seed)" : "")}"));
        }

        context.Output.WriteLine($"Report: {result.ReportPath}");
        return ExitCodes.Ok;
    }
}
