using System.CommandLine;
using System.Diagnostics;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Cli.Commands;

/// <summary><c>ehrsynth train</c>: train a generator and save it (outputs checked before any work; resumable with <c>--checkpoints</c>).</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var family = new Option<string>("--family") { Description = $"The family: {context.Families.Names}.", Required = true };
        var data = CliOptions.Data();
        var output = new Option<string>("--output") { Description = "Folder to save the trained generator in (new, empty, or an earlier ehrsynth output).", Required = true };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Folder for a checkpoint after every epoch; running the same command again resumes from it." };
        var budget = CliOptions.Budget();
        var seed = CliOptions.Seed();
        var device = CliOptions.Device();
        var epochs = CliOptions.Epochs();
        var source = new SourceCliOptions();
        var familyOptions = FamilyCliOptions.For(context.Families, compare: false);
        var dpEpsilon = PrivacyCliOptions.Epsilon(list: false, context.Families);
        var dpDelta = PrivacyCliOptions.Delta();
        var dpClip = PrivacyCliOptions.Clip();
        var dpBatch = PrivacyCliOptions.Batch();
        var command = new Command("train", "Train a generator and save it.") { family, data, output, checkpoints, budget, seed, device, epochs, dpEpsilon, dpDelta, dpClip, dpBatch };
        foreach (var option in familyOptions.All.Concat(source.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((r, token) => Run(
            context,
            context.Families.Find(r.GetValue(family)!),
            r.GetValue(data)!,
            r.GetValue(output)!,
            r.GetValue(checkpoints),
            r.GetValue(budget)!,
            r.GetValue(seed),
            r.GetValue(device)!,
            r.GetValue(epochs),
            source.Parse(r),
            (familyOptions, familyOptions.Parse(r)),
            (r.GetValue(dpEpsilon), r.GetValue(dpDelta), r.GetValue(dpClip), r.GetValue(dpBatch)),
            r.GetValue(CliOptions.Json),
            token));
        return command;
    }

    private static async Task<int> Run(CliContext context, GeneratorFamily family, string dataSpec, string folder, string? checkpoints, string budgetText, int seed, string deviceText, int? epochs, SourceOptions sourceOptions, (FamilyCliOptions Options, IReadOnlyDictionary<string, string> Values) own, (string? Epsilon, double? Delta, double? Clip, int? Batch) dp, bool asJson, CancellationToken ct)
    {
        string budget = CliOptions.ParseBudget(budgetText, [family]);
        var epsilons = PrivacyCliOptions.Parse(dp.Epsilon, dp.Delta, dp.Clip, list: false, dp.Batch);
        if (epsilons.Count > 0 && !PrivacyCliOptions.Supports(family))
        {
            throw new ArgumentException($"--dp-epsilon: {family.DisplayName} has no private fit (docs/privacy.md); the families that do: {PrivacyCliOptions.SupportingNames(context.Families)}.");
        }

        var device = ComputeDevice.Parse(deviceText);
        if (epochs is < 1)
        {
            throw new ArgumentException($"--epochs must be at least 1 (got {epochs}).");
        }

        AtomicFile.CheckDirectoryTarget(folder);                         // before any work: never train for nothing
        if (checkpoints is not null)
        {
            AtomicFile.CheckDirectoryTarget(checkpoints);
        }

        var options = family.CreateOptions(budget, seed);
        if (epochs is { } e)
        {
            options = family.SetEpochs(options, e);
        }

        own.Options.Apply(family, options, own.Values);
        if (epsilons.Count > 0)
        {
            PrivacyCliOptions.Apply(family, options, epsilons[0], dp.Delta, dp.Clip, dp.Batch);
        }

        options.Device = device;
        if (checkpoints is not null)
        {
            if (options is not TorchGeneratorOptions torchOptions)
            {
                throw new ArgumentException($"{family.DisplayName} does not support --checkpoints.");
            }

            torchOptions.CheckpointDirectory = Path.GetFullPath(checkpoints);
            if (File.Exists(Path.Combine(checkpoints, GeneratorManifest.FileName)))
            {
                context.Note($"resuming {family.DisplayName} from the checkpoint in {Path.GetFullPath(checkpoints)}");
            }
        }

        OptionsValidator.Validate(options);
        ct.ThrowIfCancellationRequested();
        var (data, _, report) = DataSource.LoadWithReport(dataSpec, sourceOptions, ct);
        if (PrivacyCliOptions.NeedsPublicVocabulary(epsilons, [family]))
        {
            data = PrivacyCliOptions.OnPublicVocabulary(data, report?.CodeSystem ?? CodeSystem.Unknown, context.Note);
        }

        CompareCommand.WarnPaperBudget(context, budget, [family], device);
        using var generator = family.Create(options);
        var watch = Stopwatch.StartNew();
        await TrainingProgressPrinter.Run(context, $"training {family.DisplayName}", p => generator.FitAsync(data, p, ct)).ConfigureAwait(false);
        generator.Save(folder);
        string settings = epsilons.Count > 0 ? $"{family.Describe(options)}; {PrivacyCliOptions.Describe(family, options)}" : family.Describe(options);
        var guarantee = (generator as Privacy.IDifferentiallyPrivate)?.PrivacyGuarantee;
        var notes = (generator as IFitNotes)?.FitNotes ?? [];
        var result = new { family = family.DisplayName, settings, privacy = guarantee?.ToString(), notes, patients = data.PatientCount, codes = data.CodeCount, seconds = Math.Round(watch.Elapsed.TotalSeconds, 1), folder = Path.GetFullPath(folder) };
        if (asJson)
        {
            context.WriteJson(result);
        }
        else
        {
            context.Output.WriteLine(CliContext.Invariant($"Trained {family.DisplayName} ({result.settings}) on {data.PatientCount:N0} patients in {watch.Elapsed.TotalSeconds:F0} s; saved to {result.folder}"));
            if (guarantee is not null)
            {
                context.Output.WriteLine($"Privacy: {guarantee}");
            }

            foreach (var note in notes)
            {
                context.Output.WriteLine($"Note: {note}");
            }
        }

        return ExitCodes.Ok;
    }
}
