namespace EhrSynth.Generators.Evaluation;

/// <summary>Data for a plot: x/y pairs for a scatter, or y values alone for a histogram.</summary>
/// <param name="Name">What the series is, for example <c>prevalence</c> or <c>mae_cross</c>.</param>
/// <param name="X">X values (empty for a histogram).</param>
/// <param name="Y">Y values, or the values to histogram.</param>
public sealed record MetricSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);
