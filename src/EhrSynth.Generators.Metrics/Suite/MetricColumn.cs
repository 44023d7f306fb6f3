namespace EhrSynth.Generators.Metrics.Suite;

/// <summary>A column of a comparison table: one value of one metric.</summary>
/// <param name="MetricName">The metric's name.</param>
/// <param name="Key">The value's key.</param>
/// <param name="Header">Column header.</param>
/// <param name="Format">.NET numeric format. The default value is <c>"F3"</c>.</param>
public sealed record MetricColumn(string MetricName, string Key, string Header, string Format = "F3");
