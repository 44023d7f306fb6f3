using EhrSynth.Generators.Data;
using EhrSynth.Generators.Gan;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Extending.Tests;

/// <summary>
/// An outside GAN on <see cref="GanGeneratorBase{TOptions}"/>: a linear autoencoder pre-trained with the base's
/// <c>AutoencoderPretraining</c>, then a generator that writes into its code space, judged by a one-hidden-layer
/// discriminator on the decoded probabilities (shown as 0/1 samples with <c>SampledFakes</c>). Calibration, the
/// mode-collapse check and batched sampling are the base's.
/// </summary>
public sealed class TinyGanGenerator(TinyGanOptions? options = null) : GanGeneratorBase<TinyGanOptions>(options ?? new TinyGanOptions(), null)
{
    /// <summary>The name in saved manifests.</summary>
    public const string FamilyName = "TinyGAN";

    private Sequential? _autoencoder;
    private Linear? _decoder;
    private Sequential? _generator;
    private Sequential? _discriminator;
    private Torch.Optimizers.Adam? _autoencoderOptimizer;
    private Torch.Optimizers.Adam? _generatorOptimizer;
    private Torch.Optimizers.Adam? _discriminatorOptimizer;

    /// <inheritdoc />
    public override string Name => FamilyName;

    /// <summary>Loads a saved tiny GAN.</summary>
    public static TinyGanGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) =>
        LoadGenerator(folder, FamilyName, o => new TinyGanGenerator(o), expectedVocabulary, null);

    /// <inheritdoc />
    protected override void BuildModel(int codeCount)
    {
        var o = Options;
        _decoder = nn.Linear(o.EmbeddingDim, codeCount);
        _autoencoder = nn.Sequential(("encode", nn.Linear(codeCount, o.EmbeddingDim)), ("tanh", nn.Tanh()), ("decode", _decoder));
        _generator = nn.Sequential(("hidden", nn.Linear(o.EmbeddingDim, o.EmbeddingDim)), ("relu", nn.ReLU()), ("out", nn.Linear(o.EmbeddingDim, o.EmbeddingDim)), ("tanh", nn.Tanh()));
        _discriminator = nn.Sequential(("hidden", nn.Linear(codeCount, o.DiscriminatorDim)), ("relu", nn.ReLU()), ("out", nn.Linear(o.DiscriminatorDim, 1)));
        foreach (var m in new nn.Module[] { _autoencoder, _generator, _discriminator })
        {
            m.to(Device);
        }

        _autoencoderOptimizer = new Torch.Optimizers.Adam(_autoencoder.parameters(), o.LearningRate);
        _generatorOptimizer = new Torch.Optimizers.Adam(_generator.parameters().Concat(_decoder.parameters()), o.LearningRate, beta1: o.AdamBeta1);   // medGAN's: the decoder too
        _discriminatorOptimizer = new Torch.Optimizers.Adam(_discriminator.parameters(), o.LearningRate, beta1: o.AdamBeta1);
    }

    /// <inheritdoc />
    protected override void ReleaseModel()
    {
        base.ReleaseModel();
        DisposeAll(_autoencoderOptimizer, _generatorOptimizer, _discriminatorOptimizer, _autoencoder, _generator, _discriminator);
        (_autoencoderOptimizer, _generatorOptimizer, _discriminatorOptimizer) = (null, null, null);
        (_autoencoder, _decoder, _generator, _discriminator) = (null, null, null, null);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<TrainingPhase> Phases(int trainingPatients) =>
        Options.PretrainEpochs > 0
            ? [AutoencoderPretraining(_autoencoder!, _autoencoderOptimizer!, Options.PretrainEpochs, Options.BatchSize), Adversarial()]
            : [Adversarial()];

    /// <inheritdoc />
    protected override IEnumerable<(string Name, nn.Module Module)> Modules() =>
        [("autoencoder", _autoencoder!), ("generator", _generator!), ("discriminator", _discriminator!)];

    /// <inheritdoc />
    protected override IEnumerable<(string Name, OptimizerHelper Optimizer)> Optimizers() =>
        [("autoencoder", _autoencoderOptimizer!), ("generator", _generatorOptimizer!), ("discriminator", _discriminatorOptimizer!)];

    /// <inheritdoc />
    protected override IDisposable? BeginSampling(Generator rng, CancellationToken cancellationToken)
    {
        _generator!.eval();
        _autoencoder!.eval();
        return null;
    }

    /// <inheritdoc />
    protected override Tensor SampleProbabilities(int b, Generator rng) => Decode(randn([b, Options.EmbeddingDim], device: Device, generator: rng));   // [b, D]

    /// <summary>Noise <c>[B, E]</c> → the generator's code → decoded probabilities <c>[B, D]</c>.</summary>
    private Tensor Decode(Tensor noise) => _decoder!.call(_generator!.call(noise)).sigmoid();

    private TrainingPhase Adversarial() => new(TrainingPhaseName.Train, Options.Epochs, Options.BatchSize, step =>
    {
        _generator!.train();
        _autoencoder!.train();
        _discriminator!.train();
        var real = step.NextDenseBatch();                                                                   // [B, D]
        long b = real.shape[0];
        Tensor fake;
        using (no_grad())
        {
            fake = ShownToDiscriminator(Decode(randn([b, Options.EmbeddingDim], device: Device, generator: step.Rng)), step.Rng, generatorUpdate: false);   // [B, D]
        }

        var realLogits = _discriminator.call(real).squeeze(1);                                              // [B]
        var fakeLogits = _discriminator.call(fake).squeeze(1);                                              // [B]
        var dLoss = nn.functional.binary_cross_entropy_with_logits(realLogits, ones_like(realLogits))
            .Plus(nn.functional.binary_cross_entropy_with_logits(fakeLogits, zeros_like(fakeLogits)));       // []
        _discriminatorOptimizer!.zero_grad();
        dLoss.backward();
        _discriminatorOptimizer.Step();

        var generated = ShownToDiscriminator(Decode(randn([b, Options.EmbeddingDim], device: Device, generator: step.Rng)), step.Rng, generatorUpdate: true);   // [B, D]
        var judged = _discriminator.call(generated).squeeze(1);                                             // [B]
        var gLoss = nn.functional.binary_cross_entropy_with_logits(judged, ones_like(judged));              // [] non-saturating
        _generatorOptimizer!.zero_grad();
        gLoss.backward();
        _generatorOptimizer.Step();
        return new StepResult(new Dictionary<string, double> { ["d_loss"] = dLoss.item<float>(), ["g_loss"] = gLoss.item<float>() });
    });
}
