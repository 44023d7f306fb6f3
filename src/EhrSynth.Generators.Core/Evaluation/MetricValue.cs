namespace EhrSynth.Generators.Evaluation;

/// <summary>One named number of a metric result.</summary>
/// <param name="Key">Short stable key, for example <c>pearson</c>.</param>
/// <param name="Value">The value; <see cref="double.NaN"/> when undefined (documented per metric).</param>
/// <param name="Direction">Which values are better.</param>
/// <param name="Description">What it is, in a few words.</param>
/// <param name="Target">The ideal value for <see cref="MetricDirection.CloserToTargetIsBetter"/>.</param>
public sealed record MetricValue(string Key, double Value, MetricDirection Direction, string Description, double? Target = null);
