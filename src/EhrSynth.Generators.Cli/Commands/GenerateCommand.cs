using System.Globalization;
using System.CommandLine;
using System.Diagnostics;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli.Commands;

/// <summary>
/// <c>ehrsynth generate</c>: patients from a saved generator, streamed to the output file in parts of
/// <see cref="DefaultPartSize"/> (or <c>--part-size</c>) so that memory stays bounded whatever the count (up to <see cref="MaxCount"/>).
/// </summary>
internal static class GenerateCommand
{
    /// <summary>The most patients one command generates: 100 million.</summary>
    public const int MaxCount = 100_000_000;

    /// <summary>Patients generated and written at a time (a count up to this is one <c>Generate</c> call, identical to the library's).</summary>
    internal const int DefaultPartSize = 100_000;

    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "A saved generator folder.", Required = true };
        var count = new Option<int>("--count") { Description = $"Patients to generate (1 to {MaxCount:N0}).", Required = true };
        var output = new Option<string>("--output") { Description = "Output file: .csv (long CSV with titles), .parquet (long Parquet with titles, written in row groups) or .npy (with a .codes.txt beside it).", Required = true };
        var seed = new Option<int?>("--seed") { Description = "Sampling seed (default: the model's)." };
        var with = new Option<string?>("--with") { Description = "A cohort: comma-separated codes every generated patient must have, written as the data writes them (grouped, e.g. 428,250)." };
        var without = new Option<string?>("--without") { Description = "A cohort: comma-separated codes no generated patient may have." };
        var minAcceptance = new Option<double?>("--min-acceptance") { Description = "With --with/--without, for families that sample cohorts by rejection: the lowest share of drawn records worth sampling at (default 0.01)." };
        var shard = new Option<string?>("--shard")
        {
            Description = "i/n: write only shard i (0-based) of n of the --count patients — parts [i·P/n, (i+1)·P/n) of the P parts of --part-size — "
                          + "so that n commands (machines, array jobs) together write exactly what one command writes, each to its own --output.",
        };
        var partSize = new Option<int?>("--part-size") { Description = $"Patients per part: the unit of generation, seeding and sharding (default {DefaultPartSize:N0}; part k draws with a seed of (seed, k), so a different size gives different patients)." };
        var device = CliOptions.Device();
        var overwrite = CliOptions.Overwrite();
        var command = new Command("generate", "Generate patients from a saved generator, or a cohort of them (--with, --without), in parts that shard across machines (--shard).")
        {
            model, count, output, seed, with, without, minAcceptance, shard, partSize, device, overwrite,
        };
        command.SetAction((r, token) => Task.FromResult(Run(context, r.GetValue(model)!, r.GetValue(count), r.GetValue(output)!, r.GetValue(seed),
            (r.GetValue(with), r.GetValue(without), r.GetValue(minAcceptance)), (r.GetValue(shard), r.GetValue(partSize)), r.GetValue(device)!, r.GetValue(overwrite), r.GetValue(CliOptions.Json), token)));
        return command;
    }

    /// <summary>Parses "i/n" (0 ≤ i &lt; n).</summary>
    /// <exception cref="ArgumentException">Malformed or out of range.</exception>
    internal static (int Index, int Count) ParseShard(string text)
    {
        var parts = text.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i < n)
        {
            return (i, n);
        }

        throw new ArgumentException($"--shard takes i/n with 0 ≤ i < n, for example 0/4 (got '{TextSafety.Printable(text, 20)}').");
    }

    private static int Run(CliContext context, string folder, int count, string path, int? seed, (string? With, string? Without, double? MinAcceptance) cohortText, (string? Shard, int? PartSize) sharding, string deviceText, bool overwrite, bool asJson, CancellationToken ct)
    {
        if (count is < 1 or > MaxCount)
        {
            throw new ArgumentException($"--count must be between 1 and {MaxCount:N0} (got {count:N0}).");
        }

        int partSize = sharding.PartSize ?? DefaultPartSize;
        if (partSize is < 1 or > 10_000_000)
        {
            throw new ArgumentException($"--part-size must be between 1 and 10,000,000 (got {partSize:N0}).");
        }

        int parts = (int)(((long)count + partSize - 1) / partSize);
        var (shardIndex, shards) = sharding.Shard is { } text ? ParseShard(text) : (0, 1);
        int firstPart = (int)((long)parts * shardIndex / shards), endPart = (int)((long)parts * (shardIndex + 1) / shards);
        long firstPatient = (long)firstPart * partSize;
        int shardCount = (int)(Math.Min(count, (long)endPart * partSize) - Math.Min(count, firstPatient));

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
        using var generator = context.Families.Load(folder, device: device, cancellationToken: ct);
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
            for (int part = firstPart; part < endPart; part++)
            {
                long start = (long)part * partSize;
                int n = (int)Math.Min(partSize, count - start);
                int done = (int)(start + n - firstPatient);
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
                if (shardCount > partSize && !asJson)
                {
                    context.Note(CliContext.Invariant($"  generated {done:N0} of {shardCount:N0} ({watch.Elapsed.TotalSeconds:F0} s)"));
                }
            }
        }

        if (npy)
        {
            AtomicFile.Write(path, stream =>
            {
                Npy.WriteHeader(stream, shardCount, vocabulary.Count);
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
            long offset = firstPatient;
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
            long offset = firstPatient;
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
        var shardResult = sharding.Shard is null ? null : new { index = shardIndex, of = shards, first_patient = firstPatient, patients = shardCount, parts = endPart - firstPart, part_size = partSize };
        var result = new { family = generator.Name, count, empty, invalid, seconds = Math.Round(watch.Elapsed.TotalSeconds, 2), output = Path.GetFullPath(path), cohort = cohortResult, shard = shardResult };
        if (asJson)
        {
            context.WriteJson(result);
        }
        else
        {
            string how = cohort is null ? "" : CliContext.Invariant($" (cohort {condition}: {Describe(cohort.Method)}, {accepted:N0} of {drawn:N0} drawn records kept{(cohort.EffectiveDraws is { } ess ? $", {ess:N0} effective" : "")}{(cohort.ModelShare is { } share ? $"; {share:P3} of the model's patients are in it" : "")})");
            string which = sharding.Shard is null ? "" : CliContext.Invariant($" (shard {shardIndex}/{shards}: patients {firstPatient:N0}–{firstPatient + shardCount - 1:N0} of {count:N0})");
            context.Output.WriteLine(CliContext.Invariant($"Generated {shardCount:N0} patients with {generator.Name}{which}{how} in {watch.Elapsed.TotalSeconds:F1} s → {result.output}"));
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
