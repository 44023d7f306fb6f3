using System.CommandLine;
using System.Diagnostics;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli.Commands;

/// <summary>
/// <c>ehrsynth generate</c>: patients from a saved generator, streamed to the output file in parts of
/// <see cref="PartSize"/> so that memory stays bounded whatever the count (up to <see cref="MaxCount"/>).
/// </summary>
internal static class GenerateCommand
{
    /// <summary>The most patients one command generates: 100 million.</summary>
    public const int MaxCount = 100_000_000;

    /// <summary>Patients generated and written at a time (a count up to this is one <c>Generate</c> call, identical to the library's).</summary>
    internal static int PartSize { get; set; } = 100_000;

    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "A saved generator folder.", Required = true };
        var count = new Option<int>("--count") { Description = $"Patients to generate (1 to {MaxCount:N0}).", Required = true };
        var output = new Option<string>("--output") { Description = "Output file: .csv (long CSV with titles), .parquet (long Parquet with titles, written in row groups) or .npy (with a .codes.txt beside it).", Required = true };
        var seed = new Option<int?>("--seed") { Description = "Sampling seed (default: the model's)." };
        var with = new Option<string?>("--with") { Description = "A cohort: comma-separated codes every generated patient must have, written as the data writes them (grouped, e.g. 428,250)." };
        var without = new Option<string?>("--without") { Description = "A cohort: comma-separated codes no generated patient may have." };
        var minAcceptance = new Option<double?>("--min-acceptance") { Description = "With --with/--without, for families that sample cohorts by rejection: the lowest share of drawn records worth sampling at (default 0.01)." };
        var device = CliOptions.Device();
        var overwrite = CliOptions.Overwrite();
        var command = new Command("generate", "Generate patients from a saved generator, or a cohort of them (--with, --without).") { model, count, output, seed, with, without, minAcceptance, device, overwrite };
        command.SetAction((r, token) => Task.FromResult(Run(context, r.GetValue(model)!, r.GetValue(count), r.GetValue(output)!, r.GetValue(seed),
            (r.GetValue(with), r.GetValue(without), r.GetValue(minAcceptance)), r.GetValue(device)!, r.GetValue(overwrite), r.GetValue(CliOptions.Json), token)));
        return command;
    }

    private static int Run(CliContext context, string folder, int count, string path, int? seed, (string? With, string? Without, double? MinAcceptance) cohortText, string deviceText, bool overwrite, bool asJson, CancellationToken ct)
    {
        if (count is < 1 or > MaxCount)
        {
            throw new ArgumentException($"--count must be between 1 and {MaxCount:N0} (got {count:N0}).");
        }

        var condition = CohortCondition.Parse(cohortText.With, cohortText.Without);
        if (cohortText.MinAcceptance is { } min && !(min > 0 && min <= 1))
        {
            throw new ArgumentException(CliContext.Invariant($"--min-acceptance must be in (0, 1] (got {min})."));
        }

        if (cohortText.MinAcceptance is not null && condition.IsEmpty)
        {
            throw new ArgumentException("--min-acceptance applies to a cohort: give --with or --without.");
        }

        var sampling = new CohortSamplingOptions { MinimumAcceptance = cohortText.MinAcceptance ?? CohortSamplingOptions.Default.MinimumAcceptance };

        bool npy = path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
        AtomicFile.CheckFileTarget(path, overwrite);
        if (npy)
        {
            AtomicFile.CheckFileTarget(Npy.DefaultCodesPath(path), overwrite);
        }

        var device = ComputeDevice.Parse(deviceText);
        using var generator = context.Families.Load(folder, device: device);
        var vocabulary = generator.Vocabulary!;
        if (!condition.IsEmpty)
        {
            condition.Resolve(vocabulary);                                              // an unknown code is bad usage, before any output
        }

        var watch = Stopwatch.StartNew();
        int empty = 0, invalid = 0;
        long drawn = 0, accepted = 0;
        CohortReport? cohort = null;
        var notes = new HashSet<string>(StringComparer.Ordinal);
        void Part(Action<EhrDataset> write)
        {
            for (int done = 0, part = 0; done < count; part++)
            {
                int n = Math.Min(PartSize, count - done);
                int? partSeed = part == 0 ? seed : unchecked(((seed ?? 0) * 1_000_003) + part);
                EhrDataset data;
                if (condition.IsEmpty)
                {
                    data = generator.Generate(n, partSeed, cancellationToken: ct);
                }
                else
                {
                    (data, cohort) = CohortSampler.Generate(generator, condition, n, partSeed, sampling, null, ct);
                    (drawn, accepted) = (drawn + cohort.Drawn, accepted + cohort.Accepted);
                }

                var report = generator.LastGenerationReport!;
                (empty, invalid) = (empty + report.EmptyRecords, invalid + report.InvalidRecords);
                notes.UnionWith(report.Notes);
                write(data);
                done += n;
                if (count > PartSize && !asJson)
                {
                    context.Note(CliContext.Invariant($"  generated {done:N0} of {count:N0} ({watch.Elapsed.TotalSeconds:F0} s)"));
                }
            }
        }

        if (npy)
        {
            AtomicFile.Write(path, stream =>
            {
                Npy.WriteHeader(stream, count, vocabulary.Count);
                Part(data => Npy.WriteRows(stream, data));
            }, overwrite);
            AtomicFile.WriteText(Npy.DefaultCodesPath(path), w =>
            {
                foreach (var code in vocabulary)
                {
                    w.Write(code);
                    w.Write('\n');
                }
            }, overwrite);
        }
        else if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            long offset = 0;
            AtomicFile.Write(path, stream =>
            {
                using var writer = new LongParquetWriter(stream, includeTitles: true);
                Part(data =>
                {
                    writer.Append(data, idOffset: offset);
                    offset += data.PatientCount;
                });
            }, overwrite);
        }
        else
        {
            long offset = 0;
            AtomicFile.WriteText(path, w =>
            {
                w.Write("patient_id,code,title\n");
                Part(data =>
                {
                    LongCsv.WriteRows(w, data, includeTitles: true, idOffset: offset);
                    offset += data.PatientCount;
                });
            }, overwrite);
        }

        foreach (var note in notes)
        {
            context.Note($"note: {note}");
        }

        var cohortResult = cohort is null ? null : new
        {
            condition = condition.ToString(),
            method = cohort.Method.ToString(),
            drawn,
            accepted,
            acceptance_rate = drawn == 0 ? 0 : Math.Round((double)accepted / drawn, 6),
            effective_draws = cohort.EffectiveDraws is { } e ? Math.Round(e, 1) : (double?)null,
            model_share = cohort.ModelShare,
        };
        var result = new { family = generator.Name, count, empty, invalid, seconds = Math.Round(watch.Elapsed.TotalSeconds, 2), output = Path.GetFullPath(path), cohort = cohortResult };
        if (asJson)
        {
            context.WriteJson(result);
        }
        else
        {
            string how = cohort is null ? "" : CliContext.Invariant($" (cohort {condition}: {Describe(cohort.Method)}, {accepted:N0} of {drawn:N0} drawn records kept{(cohort.EffectiveDraws is { } ess ? $", {ess:N0} effective" : "")}{(cohort.ModelShare is { } share ? $"; {share:P3} of the model's patients are in it" : "")})");
            context.Output.WriteLine(CliContext.Invariant($"Generated {count:N0} patients with {generator.Name}{how} in {watch.Elapsed.TotalSeconds:F1} s → {result.output}"));
        }

        return ExitCodes.Ok;
    }

    /// <summary>How a method reads in the summary line.</summary>
    internal static string Describe(CohortMethod method) => method switch
    {
        CohortMethod.Rejection => "rejection sampling",
        CohortMethod.ExactConditional => "the model's exact conditional",
        CohortMethod.Inpainting => "inpainting",
        CohortMethod.Prompt => "prompted, importance-resampled",
        _ => method.ToString(),
    };
}
