using EhrSynth.Generators.Generation;
using System.Text.Json;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Reporting;

namespace EhrSynth.Generators.Experiments;

/// <summary>
/// The machine-readable result of a comparison (<c>results.json</c> in the report folder, and the command line's
/// <c>--json</c>): the setup, every row's values per seed with mean and standard deviation, each model's floor
/// verdict, and per family and seed the time, the trained parameters and the data processed (tokens for the LLM).
/// <see cref="ComparisonResults.Load"/> reads it back.
/// </summary>
public static class ExperimentJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The JSON text.</summary>
    /// <param name="report">The rows over the seeds.</param>
    /// <param name="runs">What each family did on each seed.</param>
    /// <param name="setup">The report's setup lines.</param>
    /// <param name="privacySweep">Where each row sits in the privacy sweep (row name → family line and ε), when the comparison had one.</param>
    public static string Serialize(SeedSweepReport report, IReadOnlyList<FamilyRun> runs, IReadOnlyList<string> setup, IReadOnlyDictionary<string, PrivacyPoint>? privacySweep = null) =>
        JsonSerializer.Serialize(Build(report, runs, setup, privacySweep), Options);

    /// <summary>The JSON document as plain objects (see <see cref="Serialize"/>).</summary>
    public static object Build(SeedSweepReport report, IReadOnlyList<FamilyRun> runs, IReadOnlyList<string> setup, IReadOnlyDictionary<string, PrivacyPoint>? privacySweep = null) => new
    {
        seeds = report.Seeds,
        setup,
        privacySweep = privacySweep?.Select(p => new { row = p.Key, series = p.Value.Series, epsilon = p.Value.Epsilon }).ToArray(),
        rows = report.Rows.Select(row => new
        {
            name = row.Name,
            kind = row.Kind.ToString(),
            clearsFloor = report.Verdict(row.Name)?.Clears,
            verdict = report.Verdict(row.Name),
            values = Keys(report, row.Name).Select(k =>
            {
                var (mean, sd, n) = report.Statistic(row.Name, k.Metric, k.Key);
                return new
                {
                    metric = k.Metric,
                    key = k.Key,
                    mean = Finite(mean),
                    sd = n > 1 ? Finite(sd) : null,
                    perSeed = report.Runs.Select(r => Finite(r.Report.Rows.First(x => x.Name == row.Name).Value(k.Metric, k.Key))).ToArray(),
                };
            }).ToArray(),
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
            processedUnit = r.Cost?.Unit.Name(),
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
                    prevalenceNoiseMultiplier = p.PrevalenceNoiseMultiplier,
                    prevalenceCodeCap = p.PrevalenceCodeCap,
                    rho = p.Rho,
                    mechanism = p.Mechanism,
                }
                : null,
        }).ToArray(),
    };

    /// <summary>Every metric and value key of a row on any seed, in suite order (a metric not computed on the first seed still has its other seeds' values).</summary>
    private static IEnumerable<(string Metric, string Key)> Keys(SeedSweepReport report, string row) =>
        report.Runs.SelectMany(r => r.Report.Rows.First(x => x.Name == row).Results.SelectMany(m => m.Values.Select(v => (m.MetricName, v.Key))))
            .Distinct()
            .OrderBy(k => report.Rows.First(x => x.Name == row).Results.ToList().FindIndex(m => m.MetricName == k.MetricName));

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
