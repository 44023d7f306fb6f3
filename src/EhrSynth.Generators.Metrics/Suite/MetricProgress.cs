namespace EhrSynth.Generators.Metrics.Suite;

/// <summary>Progress of a suite run.</summary>
/// <param name="Row">The row being evaluated.</param>
/// <param name="Metric">The metric about to run.</param>
/// <param name="Done">Metric evaluations finished over all rows.</param>
/// <param name="Total">Metric evaluations planned.</param>
public readonly record struct MetricProgress(string Row, string Metric, int Done, int Total);
