using System.ComponentModel.DataAnnotations;

namespace EhrSynth.Generators.Extending.Tests;

/// <summary>The options of the outside GAN: the GAN base's, plus its sizes and schedule.</summary>
public sealed class TinyGanOptions : Gan.GanOptions
{
    /// <summary>Autoencoder pre-training epochs. The default value is 10.</summary>
    [Range(0, 10_000)]
    public int PretrainEpochs { get; set; } = 10;

    /// <summary>Adversarial epochs. The default value is 30.</summary>
    [Range(1, 100_000)]
    public int Epochs { get; set; } = 30;

    /// <summary>Patients per step. The default value is 64.</summary>
    [Range(2, 100_000)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Width of the code embedding the generator writes into. The default value is 16.</summary>
    [Range(1, 4_096)]
    public int EmbeddingDim { get; set; } = 16;

    /// <summary>Hidden width of the discriminator. The default value is 32.</summary>
    [Range(1, 4_096)]
    public int DiscriminatorDim { get; set; } = 32;

    /// <summary>Adam's learning rate. The default value is 2e-3.</summary>
    [Range(1e-12, 1.0)]
    public double LearningRate { get; set; } = 2e-3;
}
