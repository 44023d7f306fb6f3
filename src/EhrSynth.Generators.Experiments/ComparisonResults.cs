using System.Globalization;
using System.Text.Json;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Privacy;

namespace EhrSynth.Generators.Experiments;

/// <summary>
/// A comparison read back from its <c>results.json</c> (<see cref="ExperimentJson"/>): the seeds, the setup lines, every
/// row's values per seed as a <see cref="SeedSweepReport"/> — so every table the report had can be rendered again, digit
/// for digit, by the same code (<see cref="DocumentTables"/>) — and what each family did on each seed.
/// </summary>
/// <remarks>
/// What the file does not keep is not invented: values carry no description or direction (tables do not show them),
/// rows no metric timings, and a privacy guarantee only the fields the file has.
/// </remarks>
/// <param name="Seeds">The seeds, in the order of the runs.</param>
/// <param name="Setup">The report's setup lines (data, split, budget, machine, each family's settings).</param>
/// <param name="Report">The rows over the seeds.</param>
/// <param name="Runs">Per family and seed: settings, times, cost and privacy guarantee.</param>
/// <param name="PrivacySweep">Where each row sits in the privacy sweep (row name → family line and ε), when the comparison had one and the file records it.</param>
public sealed record ComparisonResults(IReadOnlyList<int> Seeds, IReadOnlyList<string> Setup, SeedSweepReport Report, IReadOnlyList<FamilyRun> Runs,
    IReadOnlyDictionary<string, Reporting.PrivacyPoint>? PrivacySweep = null)
{
    /// <summary>Reads a results file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a comparison's results (names the file and what is wrong).</exception>
    public static ComparisonResults Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not JSON ({e.Message})", e);
        }

        using (document)
        {
            return Parse(document.RootElement, path);
        }
    }

    /// <summary>Reads the comparison object of a results file (also the <c>comparison</c> of each cohort in <c>cohorts.json</c>).</summary>
    /// <param name="root">The object with <c>seeds</c>, <c>rows</c> and optionally <c>setup</c> and <c>runs</c>.</param>
    /// <param name="source">The file, for error messages.</param>
    /// <exception cref="InvalidDataException">A member is missing or of the wrong kind, or the rows do not match the seeds.</exception>
    public static ComparisonResults Parse(JsonElement root, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        try
        {
            int[] seeds = [.. Required(root, "seeds", source).EnumerateArray().Select(s => s.GetInt32())];
            if (seeds.Length == 0)
            {
                throw new InvalidDataException($"{source}: \"seeds\" is empty.");
            }

            string[] setup = root.TryGetProperty("setup", out var s) ? [.. s.EnumerateArray().Select(x => x.GetString() ?? "")] : [];
            var rows = Required(root, "rows", source).EnumerateArray().Select(r => ReadRow(r, seeds, source)).ToList();
            var runs = new List<SeedRun>();
            for (int i = 0; i < seeds.Length; i++)
            {
                runs.Add(new SeedRun(seeds[i], new SuiteReport([.. rows.Select(r => new SuiteRow(r.Name, r.Kind, r.PerSeed[i], TimeSpan.Zero))])));
            }

            var familyRuns = root.TryGetProperty("runs", out var f) ? f.EnumerateArray().Select(ReadRun).ToList() : [];
            var sweep = root.TryGetProperty("privacySweep", out var p) && p.ValueKind == JsonValueKind.Array
                ? p.EnumerateArray().ToDictionary(x => x.GetProperty("row").GetString()!, x => new Reporting.PrivacyPoint(x.GetProperty("series").GetString()!,
                    x.GetProperty("epsilon").ValueKind == JsonValueKind.Number ? x.GetProperty("epsilon").GetDouble() : null))
                : null;
            return new ComparisonResults(seeds, setup, new SeedSweepReport(runs), familyRuns, sweep);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
        {
            throw new InvalidDataException($"{source}: not a comparison's results ({e.Message})", e);
        }
    }

    private static (string Name, RowKind Kind, List<MetricResult>[] PerSeed) ReadRow(JsonElement row, int[] seeds, string source)
    {
        string name = Required(row, "name", source).GetString()!;
        var kind = Enum.Parse<RowKind>(Required(row, "kind", source).GetString()!);
        var notComputed = row.TryGetProperty("notComputed", out var nc)
            ? nc.EnumerateArray().ToDictionary(x => (x.GetProperty("metric").GetString()!, x.GetProperty("seed").GetInt32()), x => x.GetProperty("reason").GetString()!)
            : [];
        var values = Required(row, "values", source).EnumerateArray().Select(v => (
            Metric: v.GetProperty("metric").GetString()!,
            Key: v.GetProperty("key").GetString()!,
            PerSeed: v.GetProperty("perSeed").EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? double.NaN : x.GetDouble()).ToArray())).ToList();
        if (values.FirstOrDefault(v => v.PerSeed.Length != seeds.Length) is { Metric: not null } bad)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: row \"{name}\", {bad.Metric} {bad.Key} has {bad.PerSeed.Length} values for {seeds.Length} seeds."));
        }

        var metrics = values.Select(v => v.Metric).Concat(notComputed.Keys.Select(k => k.Item1)).Distinct().ToList();
        var perSeed = new List<MetricResult>[seeds.Length];
        for (int i = 0; i < seeds.Length; i++)
        {
            perSeed[i] = [.. metrics.Select(metric => notComputed.TryGetValue((metric, seeds[i]), out var reason)
                    ? MetricResult.NotComputed(metric, reason)
                    : values.Any(v => v.Metric == metric)
                        ? new MetricResult(metric, [.. values.Where(v => v.Metric == metric).Select(v => new MetricValue(v.Key, v.PerSeed[i], MetricDirection.HigherIsBetter, ""))])
                        : null)
                .OfType<MetricResult>()];
        }

        return (name, kind, perSeed);
    }

    private static FamilyRun ReadRun(JsonElement run)
    {
        TrainingCost? cost = run.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Number
            ? new TrainingCost(p.GetInt64(), run.GetProperty("processed").GetInt64(), TrainingUnits.Parse(run.GetProperty("processedUnit").GetString()!))
            : null;
        PrivacyGuarantee? privacy = null;
        if (run.TryGetProperty("privacy", out var g) && g.ValueKind == JsonValueKind.Object)
        {
            privacy = new PrivacyGuarantee(g.GetProperty("epsilon").GetDouble(), g.GetProperty("delta").GetDouble(), Number(g, "noiseMultiplier"),
                Number(g, "sampleRate"), g.GetProperty("steps").GetInt64(), Number(g, "clipNorm"), Number(g, "order"),
                g.TryGetProperty("prevalenceNoiseMultiplier", out var z) && z.ValueKind == JsonValueKind.Number ? z.GetDouble() : null,
                g.TryGetProperty("prevalenceCodeCap", out var k) && k.ValueKind == JsonValueKind.Number ? k.GetInt32() : null)
            {
                Rho = g.TryGetProperty("rho", out var rho) && rho.ValueKind == JsonValueKind.Number ? rho.GetDouble() : null,
                Mechanism = g.TryGetProperty("mechanism", out var m) ? m.GetString() : null,
            };
        }

        return new FamilyRun(run.GetProperty("family").GetString()!, run.GetProperty("seed").GetInt32(), run.GetProperty("settings").GetString()!,
            TimeSpan.FromSeconds(run.GetProperty("trainingSeconds").GetDouble()), TimeSpan.FromSeconds(run.GetProperty("generationSeconds").GetDouble()),
            run.GetProperty("generated").GetInt32(), cost, privacy,
            run.TryGetProperty("notes", out var n) ? [.. n.EnumerateArray().Select(x => x.GetString()!)] : []);
    }

    private static double Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;

    private static JsonElement Required(JsonElement element, string name, string source) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new InvalidDataException($"{source}: \"{name}\" is missing.");
}
