using EhrSynth.Generators.Metrics.Suite;

namespace EhrSynth.Generators.Experiments;

/// <summary>What a comparison produced.</summary>
/// <param name="Report">Every metric for the floor, each family and the ceiling, on every seed.</param>
/// <param name="ReportPath">The Markdown report.</param>
/// <param name="ResultsPath">The JSON file with every value of every seed (<see cref="ExperimentJson"/>).</param>
/// <param name="SyntheticFiles">The synthetic data written, one long CSV per family and seed.</param>
/// <param name="Runs">Per family and seed: settings and times.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record ExperimentResult(SeedSweepReport Report, string ReportPath, string ResultsPath, IReadOnlyList<string> SyntheticFiles, IReadOnlyList<FamilyRun> Runs, TimeSpan Elapsed);
