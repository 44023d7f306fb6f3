using System.ComponentModel.DataAnnotations;

namespace EhrSynth.Generators.Gan.CorGan;

/// <summary>
/// Options of <see cref="CorGanGenerator"/>. Defaults are astorfi/cor-gan's CNN MIMIC script
/// (<c>Generative/corGAN/pytorch/CNN/MIMIC/wgancnnmimic.py</c>).
/// </summary>
public sealed class CorGanOptions : GanOptions
{
    /// <summary>Hidden widths of the critic (no sigmoid). The default value is [256, 256, 256].</summary>
    [MinLength(1)]
    public int[] CriticDims { get; set; } = [256, 256, 256];

    /// <summary>Minibatch averaging in the critic. The default value is <see langword="false"/> (the reference's default).</summary>
    public bool MinibatchAveraging { get; set; }

    /// <summary>
    /// Autoencoder pre-training epochs. The default value is 1, the reference CNN script's (its MLP script uses 100).
    /// One epoch leaves the decoder unable to output probabilities above ~0.46 on UCI, so thresholded output is all
    /// zeros; the quick preset uses more (docs/models/corgan.md).
    /// </summary>
    [Range(0, 1_000_000)]
    public int PretrainEpochs { get; set; } = 1;

    /// <summary>WGAN epochs. The default value is 100.</summary>
    [Range(1, 1_000_000)]
    public int Epochs { get; set; } = 100;

    /// <summary>Batch size (the last incomplete batch is dropped). The default value is 512.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 512;

    /// <summary>Adam learning rate of the generator, critic and autoencoder. The default value is 1e-3.</summary>
    [Range(1e-8, 10.0)]
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Learning rate of the decoder's group in the generator's optimizer. The default value is 1e-4.</summary>
    [Range(1e-8, 10.0)]
    public double DecoderLearningRate { get; set; } = 1e-4;

    /// <summary>Coupled L2 (Adam weight decay) of every optimizer. The default value is 1e-4.</summary>
    [Range(0.0, 10.0)]
    public double WeightDecay { get; set; } = 1e-4;

    /// <summary>
    /// Add a learned bias per code to the decoder's output, initialised to the log-odds of each code's training
    /// prevalence. The reference decoder ends in a one-channel transposed convolution whose single bias is shared by
    /// every code, so after its one pre-training epoch every code has probability near 0.3 and Bernoulli sampling emits
    /// about 230 codes per record on UCI Diabetes; with the per-code bias the decoder starts at the marginals. Not in
    /// the reference. The default value is <see langword="false"/> (the reference); the quick preset turns it on.
    /// </summary>
    public bool DecoderCodeBias { get; set; }

    /// <summary>Critic weights are clipped to ± this value. The default value is 0.01.</summary>
    [Range(1e-8, 10.0)]
    public double ClipValue { get; set; } = 0.01;

    /// <summary>Critic updates per generator update. The default value is 5.</summary>
    [Range(1, 10_000)]
    public int CriticSteps { get; set; } = 5;

    /// <summary>Critic updates per generator update during the first <see cref="BoostFirstIterations"/> and every <see cref="BoostEvery"/>-th. The default value is 100.</summary>
    [Range(1, 10_000)]
    public int BoostedCriticSteps { get; set; } = 100;

    /// <summary>Generator iterations that get <see cref="BoostedCriticSteps"/>. The default value is 25.</summary>
    [Range(0, 1_000_000)]
    public int BoostFirstIterations { get; set; } = 25;

    /// <summary>Every this many generator iterations get <see cref="BoostedCriticSteps"/>. The default value is 500.</summary>
    [Range(1, 1_000_000)]
    public int BoostEvery { get; set; } = 500;

    /// <summary>
    /// About 50 s on UCI Diabetes with 2 CPU cores, and it beats the independent-marginals floor on covariance and
    /// co-occurrence on seeds 1, 2 and 3 (docs/models/corgan.md): 1 autoencoder epoch (the reference's) and 1 WGAN
    /// epoch at batch 256, 2 critic updates per generator update throughout (the reference: 5, and 100 when boosted),
    /// Adam with learning rate 4e-4 and β₁ 0.5, a per-code decoder bias (<see cref="DecoderCodeBias"/>), the critic fed
    /// sampled records (<see cref="GanOptions.SampledFakes"/>), and the marginals calibrated to the training prevalences
    /// after training (<see cref="GanOptions.CalibratePrevalence"/>).
    /// </summary>
    /// <param name="seed">The seed.</param>
    public static CorGanOptions Quick(int? seed = null) => new()
    {
        Seed = seed,
        PretrainEpochs = 1,
        Epochs = 1,
        BatchSize = 256,
        CriticSteps = 2,
        BoostedCriticSteps = 2,
        LearningRate = 4e-4,
        AdamBeta1 = 0.5,
        DecoderCodeBias = true,
        SampledFakes = true,
        CalibratePrevalence = true,
    };

    /// <summary>The quick settings trained longer with the reference's critic schedule and learning rate: 20 autoencoder and 10 WGAN epochs at batch 128, learning rate 2e-4, 5 critic updates per generator update and 100 when boosted (about 14 minutes on UCI Diabetes with 2 CPU cores).</summary>
    /// <param name="seed">The seed.</param>
    public static CorGanOptions Long(int? seed = null)
    {
        var options = Quick(seed);
        (options.PretrainEpochs, options.Epochs, options.CriticSteps, options.BoostedCriticSteps) = (20, 10, 5, 100);
        (options.BatchSize, options.LearningRate) = (128, 2e-4);
        return options;
    }

    /// <summary>
    /// The reference's settings (astorfi/cor-gan's CNN MIMIC script), with its output: the script rounds the generated
    /// probabilities at 0.5 (<see cref="Generation.BinarizationMode.Threshold"/>) instead of the library's Bernoulli
    /// default. Meant for a GPU.
    /// </summary>
    /// <param name="seed">The seed.</param>
    public static CorGanOptions Paper(int? seed = null) => new() { Seed = seed, Binarization = Generation.BinarizationMode.Threshold };
}
