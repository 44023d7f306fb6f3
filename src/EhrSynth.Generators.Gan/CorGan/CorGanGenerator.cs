using EhrSynth.Generators.Data;
using EhrSynth.Generators.Gan.Modules;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan.CorGan;

/// <summary>
/// CorGAN (Torfi &amp; Fox 2020), faithful to astorfi/cor-gan's CNN MIMIC script: a convolutional autoencoder
/// (pre-trained), a generator of two residual blocks over 128-wide noise whose output the decoder turns into records
/// (the decoder is fine-tuned with the generator at a tenth of its learning rate), and an MLP critic (256-256-256-1, no
/// sigmoid) trained as a WGAN with weight clipping ±0.01 and the Arjovsky critic schedule (5 critic steps per generator
/// step; 100 during the first 25 generator iterations and every 500th). The convolution stack is derived for any
/// number of codes and equals the reference's at 1,071 (<c>CorGanGeometry</c>).
/// </summary>
public sealed class CorGanGenerator : GanGeneratorBase<CorGanOptions>
{
    /// <summary>The family name in saved manifests.</summary>
    public const string FamilyName = "CorGAN";

    private const int Latent = 128;
    private CorGanAutoencoderNet? _autoencoder;
    private ResidualGeneratorNet? _generator;
    private MinibatchDiscriminatorNet? _critic;
    private Torch.Optimizers.Adam? _autoencoderOptimizer;
    private Torch.Optimizers.Adam? _generatorOptimizer;
    private Torch.Optimizers.Adam? _criticOptimizer;

    /// <summary>Creates an unfitted CorGAN.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid; every problem is listed.</exception>
    public CorGanGenerator(CorGanOptions? options = null, ILogger<CorGanGenerator>? logger = null)
        : base(options ?? new CorGanOptions(), logger)
    {
    }

    /// <summary>The family's description: names, presets (quick, long, paper), create, load and describe.</summary>
    public static GeneratorFamily<CorGanOptions> Family { get; } = new()
    {
        Name = "corgan",
        DisplayName = FamilyName,
        Summary = "CorGAN (Torfi & Fox 2020): a WGAN over a convolutional autoencoder, faithful to astorfi/cor-gan.",
        Studies = [BinarizationStudy.For(o => ((GanOptions)o).CalibratePrevalence = false)],     // calibrated probabilities are for Bernoulli draws
        PresetFactories = new Dictionary<string, Func<int?, CorGanOptions>>
        {
            [GeneratorFamily.Quick] = CorGanOptions.Quick,
            [GeneratorFamily.Long] = CorGanOptions.Long,
            [GeneratorFamily.Paper] = CorGanOptions.Paper,
        },
        Creator = (o, log) => new CorGanGenerator(o, log?.CreateLogger<CorGanGenerator>()),
        Loader = (folder, vocabulary, device, log, ct) => Load(folder, vocabulary, device, log?.CreateLogger<CorGanGenerator>(), ct),
        Describer = o => FormattableString.Invariant($"CorGAN: {o.PretrainEpochs} autoencoder epoch(s), {o.Epochs} WGAN epoch(s), batch {o.BatchSize}, {o.CriticSteps} critic updates per generator update ({o.BoostedCriticSteps} when boosted), Adam {o.LearningRate:G3}/β₁ {o.AdamBeta1}{(o.DecoderCodeBias ? ", per-code decoder bias" : "")}{(o.SampledFakes ? ", sampled fakes" : "")}{(o.CalibratePrevalence ? ", prevalence-calibrated" : "")}{(o.Binarization == Generation.BinarizationMode.Threshold ? $", thresholded at {o.Threshold:G3}" : "")}"),
        EpochSetter = (o, e) => o.Epochs = e,
        PaperCpuHours = 100 * 60.0 / 3600,
    };

    /// <inheritdoc />
    public override string Name => FamilyName;

    /// <summary>Loads a model saved with <c>Save</c>.</summary>
    /// <exception cref="InvalidDataException">The folder holds another model or does not match.</exception>
    public static CorGanGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILogger<CorGanGenerator>? logger = null, CancellationToken cancellationToken = default) =>
        LoadGenerator(folder, FamilyName, o => new CorGanGenerator(o, logger), expectedVocabulary, device, cancellationToken);

    /// <summary>Called after every critic update with the critic (tests check the clipping).</summary>
    internal Action<MinibatchDiscriminatorNet>? AfterCriticStep { get; set; }

    internal CorGanAutoencoderNet Autoencoder => _autoencoder!;

    /// <inheritdoc />
    protected override void BuildModel(int codeCount)
    {
        var o = Options;
        var geometry = CorGanGeometry.For(codeCount);
        _autoencoder = new CorGanAutoencoderNet(geometry, o.DecoderCodeBias);
        _generator = new ResidualGeneratorNet(Latent, blocks: 2, bias: true);
        _critic = new MinibatchDiscriminatorNet(codeCount, o.CriticDims, o.MinibatchAveraging);
        foreach (nn.Module m in new nn.Module[] { _autoencoder, _generator, _critic })
        {
            GanInit.CorGan(m);
            m.to(Device);
        }

        _autoencoderOptimizer = new Torch.Optimizers.Adam(_autoencoder.parameters(), o.LearningRate, weightDecay: o.WeightDecay);
        _criticOptimizer = new Torch.Optimizers.Adam(_critic.parameters(), o.LearningRate, beta1: o.AdamBeta1, weightDecay: o.WeightDecay);
        _generatorOptimizer = new Torch.Optimizers.Adam(
            [
                new Adam.ParamGroup(_generator.parameters(), new Adam.Options { LearningRate = o.LearningRate, beta1 = o.AdamBeta1, weight_decay = o.WeightDecay }),
                new Adam.ParamGroup(_autoencoder.Decoder.parameters(), new Adam.Options { LearningRate = o.DecoderLearningRate, beta1 = o.AdamBeta1, weight_decay = o.WeightDecay }),
            ],
            o.LearningRate);
    }

    /// <inheritdoc />
    protected override long? StateSize(int codeCount)
    {
        var geometry = CorGanGeometry.For(codeCount);
        return CorGanEncoderNet.StateSize(geometry) + CorGanDecoderNet.StateSize(geometry, Options.DecoderCodeBias)
            + ResidualGeneratorNet.StateSize(Latent, blocks: 2, bias: true)
            + MinibatchDiscriminatorNet.StateSize(codeCount, Options.CriticDims, Options.MinibatchAveraging);
    }

    /// <inheritdoc />
    protected override void ReleaseModel()
    {
        base.ReleaseModel();
        DisposeAll(_autoencoderOptimizer, _generatorOptimizer, _criticOptimizer, _autoencoder, _generator, _critic);

        (_autoencoderOptimizer, _generatorOptimizer, _criticOptimizer) = (null, null, null);
        (_autoencoder, _generator, _critic) = (null, null, null);
    }

    /// <inheritdoc />
    protected override void InitializeFromData(EhrDataset train)
    {
        if (_autoencoder!.Decoder.CodeBias is { } bias)
        {
            LogOddsBias.Apply(bias, train);
        }
    }

    /// <inheritdoc />
    protected override IReadOnlyList<TrainingPhase> Phases(int trainingPatients)
    {
        var phases = new List<TrainingPhase>();
        if (Options.PretrainEpochs > 0)
        {
            phases.Add(AutoencoderPretraining(_autoencoder!, _autoencoderOptimizer!, Options.PretrainEpochs, Options.BatchSize, dropLast: true));
        }

        phases.Add(new TrainingPhase(TrainingPhaseName.Train, Options.Epochs, Options.BatchSize, WganStep, DropLast: true));
        return phases;
    }

    /// <inheritdoc />
    protected override IDisposable? BeginSampling(Generator rng, CancellationToken cancellationToken)
    {
        _generator!.eval();
        _autoencoder!.eval();
        return null;
    }

    /// <inheritdoc />
    protected override Tensor SampleProbabilities(int b, Generator rng)
    {
        var z = randn([b, Latent], device: Device, generator: rng);                                  // [b, 128]
        return _autoencoder!.Decoder.call(_generator!.call(z)).sigmoid();                            // [b, D]
    }

    /// <inheritdoc />
    protected override IEnumerable<(string Name, nn.Module Module)> Modules() =>
        [("autoencoder", _autoencoder!), ("generator", _generator!), ("critic", _critic!)];

    /// <inheritdoc />
    protected override IEnumerable<(string Name, OptimizerHelper Optimizer)> Optimizers() =>
        [("autoencoder", _autoencoderOptimizer!), ("generator", _generatorOptimizer!), ("critic", _criticOptimizer!)];

    /// <summary>The critic updates for generator iteration <paramref name="iteration"/> (0-based): the Arjovsky schedule.</summary>
    internal int CriticStepsAt(long iteration) =>
        iteration < Options.BoostFirstIterations || iteration % Options.BoostEvery == 0 ? Options.BoostedCriticSteps : Options.CriticSteps;

    private StepResult WganStep(StepContext step)
    {
        var real = step.NextDenseBatch();                                                            // [B, D], reused by every critic step
        long b = real.shape[0];
        _generator!.train();
        _autoencoder!.train();
        _critic!.train();
        int criticSteps = CriticStepsAt(step.Step - 1);
        double criticLoss = 0;
        Clip();
        for (int k = 0; k < criticSteps; k++)
        {
            using var scope = NewDisposeScope();
            Tensor fake;
            using (no_grad())
            {
                var z = randn([b, Latent], device: Device, generator: step.Rng);                   // [B, 128]
                fake = ShownToDiscriminator(_autoencoder.Decoder.call(_generator.call(z)).sigmoid(), step.Rng, generatorUpdate: false); // [B, D]
            }

            var loss = _critic.call(real).mean().Minus(_critic.call(fake).mean());                       // the reference's sign convention
            _criticOptimizer!.zero_grad();
            loss.backward();
            _criticOptimizer.Step();
            Clip();
            AfterCriticStep?.Invoke(_critic);
            criticLoss = loss.item<float>();
        }

        var noise = randn([b, Latent], device: Device, generator: step.Rng);                         // [B, 128]
        var generated = ShownToDiscriminator(_autoencoder.Decoder.call(_generator.call(noise)).sigmoid(), step.Rng, generatorUpdate: true); // [B, D]
        var generatorLoss = _critic.call(generated).mean();                                          // G minimises C(fake)
        _generatorOptimizer!.zero_grad();
        generatorLoss.backward();
        _generatorOptimizer.Step();
        return new StepResult(new Dictionary<string, double>
        {
            ["wasserstein"] = -criticLoss,
            ["g_loss"] = generatorLoss.item<float>(),
        })
        {
            Diagnostics = new Dictionary<string, double> { ["critic_steps"] = criticSteps },
        };
    }

    /// <summary>Clamps every critic parameter to ± <see cref="CorGanOptions.ClipValue"/>.</summary>
    private void Clip()
    {
        using var noGrad = no_grad();
        foreach (var p in _critic!.parameters())
        {
            p.ClampTo_(-Options.ClipValue, Options.ClipValue);
        }
    }
}
