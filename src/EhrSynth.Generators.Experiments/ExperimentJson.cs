using System.Text.Json;
using EhrSynth.Generators.Metrics.Suite;

namespace EhrSynth.Generators.Experiments;

/// <summary>
/// The machine-readable result of a comparison (<c>results.json</c> in the report folder, and the command line's
/// <c>--json</c>): the setup, every row's values per seed with mean and standard deviation, each model's floor
/// verdict, and per family and seed the time, the trained parameters and the data processed (tokens for the LLM).
/// </summary>
public static class ExperimentJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The JSON text.</summary>
    public static string Serialize(SeedSweepReport report, IReadOnlyList<FamilyRun> runs, IReadOnlyList<string> setup) =>
        JsonSerializer.Serialize(Build(report, runs, setup), Options);

    /// <summary>The JSON document as plain objects.</summary>
    public static object Build(SeedSweepReport report, IReadOnlyList<FamilyRun> runs, IReadOnlyList<string> setup) => new
    {
        seeds = report.Seeds,
        setup,
        rows = report.Rows.Select(row => new
        {
            name = row.Name,
            kind = row.Kind.ToString(),
            clearsFloor = report.Verdict(row.Name)?.Clears,
            verdict = report.Verdict(row.Name),
            values = row.Results.SelectMany(m => m.Values.Select(v =>
            {
                var (mean, sd, n) = report.Statistic(row.Name, m.MetricName, v.Key);
                return new
                {
                    metric = m.MetricName,
                    key = v.Key,
                    mean = Finite(mean),
                    sd = n > 1 ? Finite(sd) : null,
                    perSeed = report.Runs.Select(r => Finite(r.Report.Rows.First(x => x.Name == row.Name).Value(m.MetricName, v.Key))).ToArray(),
                };
            })).ToArray(),
            notComputed = report.Runs.SelectMany(run => run.Report.Rows.First(x => x.Name == row.Name).Results.Where(m => !m.IsComputed)
                .Select(m => new { metric = m.MetricName, seed = run.Seed, reason = m.NotComputedReason })).ToArray(),
        }).ToArray(),
        runs = runs.Select(r => new
        {
            family = r.Family,
            seed = r.Seed,
            settings = r.Settings,
            trainingSeconds = Math.Round(r.Training.TotalSeconds, 2),
            generationSeconds = Math.Round(r.Generation.TotalSeconds, 2),
            generated = r.Generated,
            parameters = r.Cost?.Parameters,
            processed = r.Cost?.Processed,
            processedUnit = r.Cost?.Unit,
            estimatedTrainingFlops = r.Cost?.EstimatedFlops,
            notes = r.Notes ?? [],
            privacy = r.Privacy is { } p
                ? new
                {
                    epsilon = p.Epsilon,
                    delta = p.Delta,
                    noiseMultiplier = Finite(p.NoiseMultiplier),
                    sampleRate = Finite(p.SampleRate),
                    steps = p.Steps,
                    clipNorm = Finite(p.ClipNorm),
                    order = Finite(p.Order),
                    rho = p.Rho,
                    mechanism = p.Mechanism,
                }
                : null,
        }).ToArray(),
    };

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
