using System.ComponentModel.DataAnnotations;

namespace EhrSynth.Generators.Gan.MedGan;

/// <summary>Options of <see cref="MedGanGenerator"/>. Defaults are mp2893/medgan's (<c>medgan.py</c>, binary mode).</summary>
public sealed class MedGanOptions : GanOptions
{
    /// <summary>Width of the autoencoder code, the noise and the generator (they must match). The default value is 128.</summary>
    [Range(1, 65_536)]
    public int EmbeddingDim { get; set; } = 128;

    /// <summary>Residual blocks of the generator. The default value is 3 (two ReLU, one tanh; medGAN's generatorDims (128, 128) plus the output block).</summary>
    [Range(1, 64)]
    public int GeneratorBlocks { get; set; } = 3;

    /// <summary>Hidden widths of the discriminator. The default value is [256, 128].</summary>
    [MinLength(1)]
    public int[] DiscriminatorDims { get; set; } = [256, 128];

    /// <summary>Minibatch averaging in the discriminator. The default value is <see langword="true"/>.</summary>
    public bool MinibatchAveraging { get; set; } = true;

    /// <summary>Autoencoder pre-training epochs. The default value is 100.</summary>
    [Range(0, 1_000_000)]
    public int PretrainEpochs { get; set; } = 100;

    /// <summary>Autoencoder pre-training batch size. The default value is 100.</summary>
    [Range(1, 1_000_000)]
    public int PretrainBatchSize { get; set; } = 100;

    /// <summary>GAN epochs; each has ⌈N / batch⌉ iterations. The default value is 1,000 (the CLI default).</summary>
    [Range(1, 1_000_000)]
    public int Epochs { get; set; } = 1_000;

    /// <summary>GAN batch size. The default value is 1,000.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>Discriminator updates per generator update, each on a fresh batch. The default value is 2.</summary>
    [Range(1, 1_000)]
    public int DiscriminatorSteps { get; set; } = 2;

    /// <summary>Adam learning rate of all three optimizers. The default value is 1e-3.</summary>
    [Range(1e-8, 10.0)]
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Coupled L2 (TF <c>l2_regularizer</c>) on every variable: Adam weight decay, not AdamW. The default value is 1e-3.</summary>
    [Range(0.0, 10.0)]
    public double L2 { get; set; } = 1e-3;

    /// <summary>
    /// medGAN's BatchNorm quirk: the generator runs in inference mode (running statistics) during discriminator updates
    /// and in training mode (batch statistics) during its own. The discriminator then learns to reject outputs the
    /// generator never trains on; with momentum 0.01 the running statistics lag far behind. The default value is
    /// <see langword="true"/> (the reference).
    /// </summary>
    public bool BatchNormQuirk { get; set; } = true;

    /// <summary>Batches run through the generator in training mode before sampling, to refresh BatchNorm's running statistics. The default value is 1,000.</summary>
    [Range(0, 1_000_000)]
    public int BurnInBatches { get; set; } = 1_000;

    /// <summary>
    /// About 27 s on UCI Diabetes with 2 CPU cores, and it beats the independent-marginals floor on covariance and
    /// co-occurrence on seeds 1, 2 and 3 (docs/models/medgan.md): 3 autoencoder epochs and 2 GAN epochs at batch 256
    /// (more generator updates per second than batch 1,000), one discriminator update per generator update, Adam with
    /// learning rate 4e-4 and β₁ 0.5, the
    /// discriminator fed sampled records (<see cref="GanOptions.SampledFakes"/>), the BatchNorm quirk off, a 100-batch
    /// burn-in, and the marginals calibrated to the training prevalences after training
    /// (<see cref="GanOptions.CalibratePrevalence"/>; it widens the margin over the floor on every seed).
    /// </summary>
    /// <param name="seed">The seed.</param>
    public static MedGanOptions Quick(int? seed = null) => new()
    {
        Seed = seed,
        PretrainEpochs = 3,
        Epochs = 2,
        BatchSize = 256,
        DiscriminatorSteps = 1,
        LearningRate = 4e-4,
        AdamBeta1 = 0.5,
        SampledFakes = true,
        BatchNormQuirk = false,
        BurnInBatches = 100,
        CalibratePrevalence = true,
    };

    /// <summary>The quick settings trained longer, at batch 128 and learning rate 2e-4: 20 autoencoder and 40 GAN epochs (about 8 minutes on UCI Diabetes with 2 CPU cores).</summary>
    /// <param name="seed">The seed.</param>
    public static MedGanOptions Long(int? seed = null)
    {
        var options = Quick(seed);
        (options.PretrainEpochs, options.Epochs, options.BatchSize, options.LearningRate) = (20, 40, 128, 2e-4);
        return options;
    }

    /// <summary>
    /// The reference's settings (mp2893/medgan: 100 autoencoder epochs, 1,000 GAN epochs at batch 1,000), with its
    /// output: <c>generateData</c> saves the raw probabilities, which a binary evaluation reads rounded, so records are
    /// thresholded at 0.5 (<see cref="Generation.BinarizationMode.Threshold"/>) instead of the library's Bernoulli
    /// default. Meant for a GPU.
    /// </summary>
    /// <param name="seed">The seed.</param>
    public static MedGanOptions Paper(int? seed = null) => new() { Seed = seed, Binarization = Generation.BinarizationMode.Threshold };
}
