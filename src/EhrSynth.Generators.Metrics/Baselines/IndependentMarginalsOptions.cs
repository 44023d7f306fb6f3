using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Metrics.Baselines;

/// <summary>Options of <see cref="IndependentMarginalsGenerator"/>: only the seed (the device is ignored).</summary>
public sealed class IndependentMarginalsOptions : EhrGeneratorOptions
{
}
