using EhrSynth.Generators.Metrics.Suite;

namespace EhrSynth.Pipeline;

/// <summary>What the pipeline produced.</summary>
/// <param name="Report">Every metric for the floor, each family and the ceiling.</param>
/// <param name="ReportPath">The Markdown report.</param>
/// <param name="SyntheticFiles">The synthetic data written, one long CSV per family.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record PipelineResult(SuiteReport Report, string ReportPath, IReadOnlyList<string> SyntheticFiles, TimeSpan Elapsed);
