using EhrSynth.Generators.Data;
using EhrSynth.Generators.Gan.Modules;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan.MedGan;

/// <summary>
/// medGAN (Choi et al. 2017), faithful to mp2893/medgan's TensorFlow <c>medgan.py</c>: an autoencoder (D → 128 tanh,
/// 128 → D sigmoid) pre-trained on the records; a residual generator of 128-wide noise whose output the autoencoder's
/// decoder turns into records (the decoder is fine-tuned with the generator); a discriminator with minibatch averaging
/// (2D → 256 → 128 → 1); the standard GAN loss with a non-saturating generator, coupled L2 1e-3, Adam 1e-3, batch 1,000,
/// two discriminator updates per generator update, the generator's BatchNorm in inference mode during discriminator
/// updates and in training mode during its own, and 1,000 BatchNorm burn-in batches before sampling.
/// </summary>
public sealed class MedGanGenerator : GanGeneratorBase<MedGanOptions>
{
    /// <summary>The family name in saved manifests.</summary>
    public const string FamilyName = "medGAN";

    private MedGanAutoencoderNet? _autoencoder;
    private ResidualGeneratorNet? _generator;
    private MinibatchDiscriminatorNet? _discriminator;
    private Torch.Optimizers.Adam? _autoencoderOptimizer;
    private Torch.Optimizers.Adam? _generatorOptimizer;
    private Torch.Optimizers.Adam? _discriminatorOptimizer;

    /// <summary>Creates an unfitted medGAN.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid; every problem is listed.</exception>
    public MedGanGenerator(MedGanOptions? options = null, ILogger<MedGanGenerator>? logger = null)
        : base(options ?? new MedGanOptions(), logger)
    {
    }

    /// <summary>The family's description: names, presets (quick, long, paper), create, load and describe.</summary>
    public static GeneratorFamily<MedGanOptions> Family { get; } = new()
    {
        Name = "medgan",
        DisplayName = FamilyName,
        Summary = "medGAN (Choi et al. 2017): a GAN over a pre-trained autoencoder's codes, faithful to mp2893/medgan.",
        Studies = [BinarizationStudy.For(o => ((GanOptions)o).CalibratePrevalence = false)],     // calibrated probabilities are for Bernoulli draws
        PresetFactories = new Dictionary<string, Func<int?, MedGanOptions>>
        {
            [GeneratorFamily.Quick] = MedGanOptions.Quick,
            [GeneratorFamily.Long] = MedGanOptions.Long,
            [GeneratorFamily.Paper] = MedGanOptions.Paper,
        },
        Creator = (o, log) => new MedGanGenerator(o, log?.CreateLogger<MedGanGenerator>()),
        Loader = (folder, vocabulary, device, log, ct) => Load(folder, vocabulary, device, log?.CreateLogger<MedGanGenerator>(), ct),
        Describer = o => FormattableString.Invariant($"medGAN: {o.PretrainEpochs} autoencoder epochs, {o.Epochs} GAN epochs, batch {o.BatchSize:N0}, Adam {o.LearningRate:G3}/β₁ {o.AdamBeta1}{(o.SampledFakes ? ", sampled fakes" : "")}{(o.CalibratePrevalence ? ", prevalence-calibrated" : "")}{(o.Binarization == Generation.BinarizationMode.Threshold ? $", thresholded at {o.Threshold:G3}" : "")}"),
        EpochSetter = (o, e) => o.Epochs = e,
        PaperCpuHours = 1_000 * 6.0 / 3600,
    };

    /// <inheritdoc />
    public override string Name => FamilyName;

    /// <summary>Loads a model saved with <c>Save</c>.</summary>
    /// <exception cref="InvalidDataException">The folder holds another model or does not match.</exception>
    public static MedGanGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILogger<MedGanGenerator>? logger = null, CancellationToken cancellationToken = default) =>
        LoadGenerator(folder, FamilyName, o => new MedGanGenerator(o, logger), expectedVocabulary, device, cancellationToken);

    /// <summary>Called with every batch the discriminator is shown, real or generated (tests check what it sees).</summary>
    internal Action<Tensor>? BeforeDiscriminator { get; set; }

    internal ResidualGeneratorNet GeneratorNet => _generator!;

    internal MinibatchDiscriminatorNet DiscriminatorNet => _discriminator!;

    /// <inheritdoc />
    protected override void BuildModel(int codeCount)
    {
        var o = Options;
        _autoencoder = new MedGanAutoencoderNet(codeCount, o.EmbeddingDim);
        _generator = new ResidualGeneratorNet(o.EmbeddingDim, o.GeneratorBlocks, bias: false);
        _discriminator = new MinibatchDiscriminatorNet(codeCount, o.DiscriminatorDims, o.MinibatchAveraging);
        foreach (nn.Module m in new nn.Module[] { _autoencoder, _generator, _discriminator })
        {
            GanInit.TensorFlowGlorot(m);
            m.to(Device);
        }

        _autoencoderOptimizer = new Torch.Optimizers.Adam(_autoencoder.parameters(), o.LearningRate, weightDecay: o.L2);
        _generatorOptimizer = new Torch.Optimizers.Adam(_generator.parameters().Concat(_autoencoder.DecoderParameters), o.LearningRate, beta1: o.AdamBeta1, weightDecay: o.L2);
        _discriminatorOptimizer = new Torch.Optimizers.Adam(_discriminator.parameters(), o.LearningRate, beta1: o.AdamBeta1, weightDecay: o.L2);
    }

    /// <inheritdoc />
    protected override long? StateSize(int codeCount) =>
        MedGanAutoencoderNet.StateSize(codeCount, Options.EmbeddingDim)
        + ResidualGeneratorNet.StateSize(Options.EmbeddingDim, Options.GeneratorBlocks, bias: false)
        + MinibatchDiscriminatorNet.StateSize(codeCount, Options.DiscriminatorDims, Options.MinibatchAveraging);

    /// <inheritdoc />
    protected override void ReleaseModel()
    {
        base.ReleaseModel();
        DisposeAll(_autoencoderOptimizer, _generatorOptimizer, _discriminatorOptimizer, _autoencoder, _generator, _discriminator);

        (_autoencoderOptimizer, _generatorOptimizer, _discriminatorOptimizer) = (null, null, null);
        (_autoencoder, _generator, _discriminator) = (null, null, null);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<TrainingPhase> Phases(int trainingPatients)
    {
        var phases = new List<TrainingPhase>();
        if (Options.PretrainEpochs > 0)
        {
            phases.Add(AutoencoderPretraining(_autoencoder!, _autoencoderOptimizer!, Options.PretrainEpochs, Options.PretrainBatchSize));
        }

        int steps = (trainingPatients + Options.BatchSize - 1) / Options.BatchSize;
        phases.Add(new TrainingPhase(TrainingPhaseName.Train, Options.Epochs, Options.BatchSize, GanStep, StepsPerEpoch: steps));
        return phases;
    }

    /// <inheritdoc />
    protected override IDisposable? BeginSampling(Generator rng, CancellationToken cancellationToken)
    {
        var statistics = BatchNormState.Capture(_generator!.Norms);                                // restored on dispose
        BurnIn(rng, cancellationToken);
        _generator.eval();
        _autoencoder!.eval();
        return statistics;
    }

    /// <inheritdoc />
    protected override Tensor SampleProbabilities(int b, Generator rng)
    {
        var z = randn([b, Options.EmbeddingDim], device: Device, generator: rng);                  // [b, 128]
        return _autoencoder!.Decode(_generator!.call(z)).sigmoid();                               // [b, D]
    }

    /// <summary>
    /// medGAN's burn-in: run the generator in training mode on <see cref="MedGanOptions.BurnInBatches"/> noise batches so
    /// BatchNorm's running statistics reflect its own outputs (they move with momentum 0.01). Sampling restores the
    /// trained statistics afterwards, so generation leaves the model unchanged.
    /// </summary>
    internal void BurnIn(Generator rng, CancellationToken cancellationToken)
    {
        _generator!.train();
        for (int i = 0; i < Options.BurnInBatches; i++)
        {
            if ((i & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            using var scope = NewDisposeScope();
            _generator.call(randn([Options.BatchSize, Options.EmbeddingDim], device: Device, generator: rng));
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<(string Name, nn.Module Module)> Modules() =>
        [("autoencoder", _autoencoder!), ("generator", _generator!), ("discriminator", _discriminator!)];

    /// <inheritdoc />
    protected override IEnumerable<(string Name, OptimizerHelper Optimizer)> Optimizers() =>
        [("autoencoder", _autoencoderOptimizer!), ("generator", _generatorOptimizer!), ("discriminator", _discriminatorOptimizer!)];

    private StepResult GanStep(StepContext step)
    {
        int b = Options.BatchSize;
        double dLoss = 0, correct = 0, seen = 0;
        _discriminator!.train();
        for (int k = 0; k < Options.DiscriminatorSteps; k++)
        {
            using var scope = NewDisposeScope();
            var real = step.NextDenseBatch(b);                                                      // [B, D]
            Tensor fake;
            if (Options.BatchNormQuirk)
            {
                _generator!.eval();                                                                 // medGAN: bn_train=False in the D step
            }
            else
            {
                _generator!.train();
            }

            using (no_grad())
            {
                var z = randn([real.shape[0], Options.EmbeddingDim], device: Device, generator: step.Rng);
                fake = ShownToDiscriminator(_autoencoder!.Decode(_generator.call(z)).sigmoid(), step.Rng, generatorUpdate: false); // [B, D]
            }

            BeforeDiscriminator?.Invoke(real);
            BeforeDiscriminator?.Invoke(fake);
            var realLogits = _discriminator.call(real);                                             // [B]
            var fakeLogits = _discriminator.call(fake);                                             // [B]
            var loss = nn.functional.binary_cross_entropy_with_logits(realLogits, ones_like(realLogits))
                .Plus(nn.functional.binary_cross_entropy_with_logits(fakeLogits, zeros_like(fakeLogits)));
            _discriminatorOptimizer!.zero_grad();
            loss.backward();
            _discriminatorOptimizer.Step();
            dLoss += loss.item<float>();
            correct += realLogits.gt(RootedScalars.Zero).sum().item<long>() + fakeLogits.shape[0] - fakeLogits.gt(RootedScalars.Zero).sum().item<long>();
            seen += realLogits.shape[0] + fakeLogits.shape[0];
        }

        _generator!.train();                                                                        // bn_train=True in the G step
        _autoencoder!.train();
        var noise = randn([b, Options.EmbeddingDim], device: Device, generator: step.Rng);          // [B, 128]
        var generated = ShownToDiscriminator(_autoencoder.Decode(_generator.call(noise)).sigmoid(), step.Rng, generatorUpdate: true); // [B, D]
        BeforeDiscriminator?.Invoke(generated);
        var generatorLoss = nn.functional.binary_cross_entropy_with_logits(_discriminator.call(generated), ones(b, device: Device)); // non-saturating
        _generatorOptimizer!.zero_grad();
        generatorLoss.backward();
        _generatorOptimizer.Step();
        return new StepResult(new Dictionary<string, double>
        {
            ["d_loss"] = dLoss / Options.DiscriminatorSteps,
            ["g_loss"] = generatorLoss.item<float>(),
        })
        {
            Diagnostics = new Dictionary<string, double> { ["d_accuracy"] = correct / seen },
        };
    }
}
