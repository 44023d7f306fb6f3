using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Metrics.Suite;

/// <summary>A named synthetic dataset to compare, with what its generator reported.</summary>
/// <param name="Name">Row name, for example <c>"VAE"</c>.</param>
/// <param name="Data">The synthetic patients.</param>
/// <param name="Report">The generator's report, when known.</param>
public sealed record SyntheticSet(string Name, EhrDataset Data, GenerationReport? Report = null);
