using EhrSynth.Generators.Evaluation;

namespace EhrSynth.Generators.Metrics.Suite;

/// <summary>One row of a comparison: every metric's result for one dataset.</summary>
/// <param name="Name">Row name.</param>
/// <param name="Kind">Floor, model or ceiling.</param>
/// <param name="Results">One result per metric, in suite order.</param>
/// <param name="Elapsed">Time spent on the metrics.</param>
public sealed record SuiteRow(string Name, RowKind Kind, IReadOnlyList<MetricResult> Results, TimeSpan Elapsed)
{
    /// <summary>A metric's result, or <see langword="null"/>.</summary>
    public MetricResult? Result(string metricName) => Results.FirstOrDefault(r => r.MetricName == metricName);

    /// <summary>A value, or NaN when the metric or key is absent.</summary>
    public double Value(string metricName, string key) => Result(metricName)?.Find(key)?.Value ?? double.NaN;
}
