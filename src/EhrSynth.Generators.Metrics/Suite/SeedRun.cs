namespace EhrSynth.Generators.Metrics.Suite;

/// <summary>The comparison of one seed.</summary>
/// <param name="Seed">The seed of the split, training, sampling and metrics.</param>
/// <param name="Report">Its rows: floor, models, ceiling.</param>
public sealed record SeedRun(int Seed, SuiteReport Report);
