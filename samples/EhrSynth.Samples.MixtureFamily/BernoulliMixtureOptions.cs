using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Samples.MixtureFamily;

/// <summary>
/// Options of <see cref="BernoulliMixtureGenerator"/>: K latent classes, each an independent Bernoulli per code
/// (a latent-class model), fitted by maximum likelihood with Adam.
/// </summary>
public sealed class BernoulliMixtureOptions : TorchGeneratorOptions
{
    /// <summary>Mixture components (latent classes). The default value is 32.</summary>
    [Range(1, 4096)]
    public int Components { get; set; } = 32;

    /// <summary>Training epochs. The default value is 30.</summary>
    [Range(1, 1_000_000)]
    public int Epochs { get; set; } = 30;

    /// <summary>Patients per step. The default value is 256.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 256;

    /// <summary>Adam learning rate. The default value is 0.05.</summary>
    [Range(1e-8, 10.0)]
    public double LearningRate { get; set; } = 0.05;

    /// <summary>Records sampled per batch when generating. The default value is 4,096.</summary>
    [Range(1, 1_000_000)]
    public int GenerationBatchSize { get; set; } = 4_096;

    /// <summary>About 20 seconds on UCI Diabetes with 2 CPU cores: 32 components, 10 epochs.</summary>
    /// <param name="seed">The seed.</param>
    public static BernoulliMixtureOptions Quick(int? seed = null) => new() { Seed = seed, Epochs = 10 };

    /// <summary>64 components, 60 epochs.</summary>
    /// <param name="seed">The seed.</param>
    public static BernoulliMixtureOptions Long(int? seed = null) => new() { Seed = seed, Components = 64, Epochs = 60 };
}
