using EhrSynth.Generators.Data;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using EhrSynth.Generators.Vae.Modules;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Vae;

/// <summary>
/// A variational autoencoder of binary patient records: encoder q(z | x), decoder p(x | z) with one Bernoulli per code,
/// trained on the negative ELBO — binary cross-entropy plus KL divergence to N(0, I), both summed over codes and the
/// batch as in the reference. New patients are decoded from z ~ N(0, I).
/// </summary>
/// <remarks>
/// Faithful to the paper's description (1-D convolutional encoder and decoder with two hidden layers of 128, latent
/// 128, Adam 1e-3, 500 epochs, batch 500) and to the CorGAN repository's VAE (<see cref="VaeArchitecture.Mlp"/>), for
/// any number of codes. It avoids the reference's bugs: the split is the caller's, sampling returns exactly the number
/// asked for, and every random draw is seeded.
/// </remarks>
public sealed class VaeGenerator : TorchGeneratorBase<VaeOptions>
{
    /// <summary>The family name in saved manifests.</summary>
    public const string FamilyName = "VAE";

    private nn.Module<Tensor, (Tensor Mu, Tensor LogVar)>? _encoder;
    private nn.Module<Tensor, Tensor>? _decoder;
    private Torch.Optimizers.Adam? _optimizer;

    /// <summary>Creates an unfitted VAE.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid; every problem is listed.</exception>
    public VaeGenerator(VaeOptions? options = null, ILogger<VaeGenerator>? logger = null)
        : base(options ?? new VaeOptions(), logger)
    {
    }

    /// <summary>The family's description: names, presets (quick, long, paper), create, load and describe.</summary>
    public static GeneratorFamily<VaeOptions> Family { get; } = new()
    {
        Name = "vae",
        DisplayName = FamilyName,
        Summary = "A variational autoencoder: the paper's 1-D convolutional VAE, or the CorGAN repository's MLP VAE.",
        Privacy = DpSgdCapability.Create(),
        Studies = [BinarizationStudy.For()],
        PresetFactories = new Dictionary<string, Func<int?, VaeOptions>>
        {
            [GeneratorFamily.Quick] = VaeOptions.Quick,
            [GeneratorFamily.Long] = VaeOptions.Long,
            [GeneratorFamily.Paper] = VaeOptions.Paper,
        },
        Creator = (o, log) => new VaeGenerator(o, log?.CreateLogger<VaeGenerator>()),
        Loader = (folder, vocabulary, device, log, ct) => Load(folder, vocabulary, device, log?.CreateLogger<VaeGenerator>(), ct),
        Describer = o => FormattableString.Invariant($"{o.Architecture} VAE, {o.Epochs} epochs, batch {o.BatchSize}{(o.DecoderBiasAtLogOdds ? ", decoder bias at the training log-odds" : "")}{(o.Binarization == BinarizationMode.Threshold ? $", thresholded at {o.Threshold:G3}" : "")}"),
        EpochSetter = (o, e) => o.Epochs = e,
        PaperCpuHours = 500 * 57_214 / 540.0 / 3600,
    };

    /// <inheritdoc />
    public override string Name => FamilyName;

    /// <summary>Loads a VAE saved with <see cref="EhrGeneratorBase{TOptions}.Save"/>.</summary>
    /// <param name="folder">The saved generator's folder.</param>
    /// <param name="expectedVocabulary">When given, the saved vocabulary must equal it.</param>
    /// <param name="device">Where to load it. The default value is <see cref="ComputeDevice.Auto"/>, whatever device it was trained on.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="cancellationToken">Cancels the load while it waits for another generator to leave libtorch's process-wide state.</param>
    /// <exception cref="InvalidDataException">The folder holds another model or does not match.</exception>
    public static VaeGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILogger<VaeGenerator>? logger = null, CancellationToken cancellationToken = default) =>
        LoadGenerator(folder, FamilyName, o => new VaeGenerator(o, logger), expectedVocabulary, device, cancellationToken);

    /// <inheritdoc />
    protected override void BuildModel(int codeCount)
    {
        var o = Options;
        if (o.Architecture == VaeArchitecture.Convolutional)
        {
            var geometry = ConvGeometry.For(codeCount, o.KernelSize, o.Stride);
            _encoder = new ConvEncoderNet(geometry, o.HiddenChannels, o.LatentDim);
            _decoder = new ConvDecoderNet(geometry, o.HiddenChannels, o.LatentDim);
        }
        else
        {
            _encoder = new MlpEncoderNet(codeCount, o.MlpHidden, o.LatentDim);
            _decoder = new MlpDecoderNet(codeCount, o.MlpHidden, o.LatentDim);
        }

        _encoder.to(Device);
        _decoder.to(Device);
        _optimizer = new Torch.Optimizers.Adam(_encoder.parameters().Concat(_decoder.parameters()), o.LearningRate);
    }

    /// <inheritdoc />
    protected override long? StateSize(int codeCount)
    {
        var o = Options;
        if (o.Architecture == VaeArchitecture.Convolutional)
        {
            var geometry = ConvGeometry.For(codeCount, o.KernelSize, o.Stride);
            return ConvEncoderNet.StateSize(geometry, o.HiddenChannels, o.LatentDim) + ConvDecoderNet.StateSize(geometry, o.HiddenChannels, o.LatentDim);
        }

        return MlpEncoderNet.StateSize(codeCount, o.MlpHidden, o.LatentDim) + MlpDecoderNet.StateSize(codeCount, o.MlpHidden, o.LatentDim);
    }

    /// <inheritdoc />
    protected override void ReleaseModel()
    {
        _optimizer?.Dispose();
        _encoder?.Dispose();
        _decoder?.Dispose();
        (_optimizer, _encoder, _decoder) = (null, null, null);
    }

    /// <summary>
    /// With <see cref="VaeOptions.DecoderBiasAtLogOdds"/>, starts the decoder's per-code bias at the training log-odds,
    /// so early samples already have the right marginals. A private fit may not read them: every code starts at the
    /// log-odds of 1/D instead (one code per record on average; a data-independent prior).
    /// </summary>
    protected override void InitializeFromData(EhrDataset train)
    {
        if (!Options.DecoderBiasAtLogOdds)
        {
            return;
        }

        var bias = _decoder switch
        {
            ConvDecoderNet conv => conv.OutputBias,
            MlpDecoderNet mlp => mlp.OutputBias,
            _ => throw new InvalidOperationException("unknown decoder"),
        };
        if (IsPrivateFit)
        {
            LogOddsBias.ApplyUniform(bias, 1.0 / train.CodeCount);
            return;
        }

        LogOddsBias.Apply(bias, train);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<TrainingPhase> Phases(int trainingPatients) =>
        [new TrainingPhase(TrainingPhaseName.Train, Options.Epochs, Options.BatchSize, TrainStep)];

    /// <summary>DP-SGD trains the encoder and decoder on one patient's negative ELBO (no layer mixes patients).</summary>
    protected override PrivateObjective CreatePrivateObjective() => new(
        (data, patient, rng) =>
        {
            _encoder!.train();
            _decoder!.train();
            return NegativeElbo(DenseBatch.Build(data, [patient], Device), rng).Loss;   // [1, D] → []
        },
        [.. _encoder!.parameters(), .. _decoder!.parameters()],
        _ => _optimizer!.Step())
    {
        PatientLosses = (data, patients, rng) =>
        {
            _encoder!.train();
            _decoder!.train();
            return PatientNegativeElbo(DenseBatch.Build(data, patients, Device), rng);   // [B, D] → [B]
        },
        Networks = [_encoder!, _decoder!],
    };

    private StepResult TrainStep(StepContext step)
    {
        _encoder!.train();
        _decoder!.train();
        var x = step.NextDenseBatch();                                   // [B, D]
        var (loss, bce, kl) = NegativeElbo(x, step.Rng);                  // sums over the batch
        _optimizer!.zero_grad();
        loss.backward();
        _optimizer.Step();
        double b = x.shape[0];
        return new StepResult(new Dictionary<string, double>
        {
            ["loss"] = loss.item<float>() / b,
            ["bce"] = bce.item<float>() / b,
            ["kl"] = kl.item<float>() / b,
        });
    }

    /// <inheritdoc />
    protected override double ValidationLoss(EhrDataset validation, Generator rng)
    {
        _encoder!.eval();
        _decoder!.eval();
        return SumInScopes(PatientBatches(validation, Options.BatchSize),
            batch => NegativeElbo(DenseBatch.Build(validation, batch, Device), rng).Loss.item<float>()) / validation.PatientCount;
    }

    /// <inheritdoc />
    protected override EhrDataset Sample(int count, Generator rng, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        _decoder!.eval();
        return DenseBatch.SampleRecords(ModelVocabulary, Options, count, b =>
        {
            var z = randn([b, Options.LatentDim], device: Device, generator: rng);     // [b, Z]
            return _decoder.call(z).sigmoid();                                           // [b, D]
        }, rng, progress, cancellationToken);
    }

    /// <inheritdoc />
    protected override IEnumerable<(string Name, nn.Module Module)> Modules() =>
        [("encoder", _encoder!), ("decoder", _decoder!)];

    /// <inheritdoc />
    protected override IEnumerable<(string Name, OptimizerHelper Optimizer)> Optimizers() =>
        [("adam", _optimizer!)];

    /// <summary>BCE + KL of each patient, summed over its codes and latent dimensions: <c>[B]</c> (for DP-SGD).</summary>
    private Tensor PatientNegativeElbo(Tensor x, Generator rng)
    {
        var (mu, logVar, logits) = Reconstruct(x, rng);                               // [B, Z], [B, Z], [B, D]
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, x, reduction: nn.Reduction.None).sum([1]);   // [B]
        var kl = logVar.Plus(1).Minus(mu.Square()).Minus(logVar.exp()).sum([1]).Times(-0.5);                       // [B]
        return bce.Plus(kl);                                                          // [B]
    }

    /// <summary>BCE + KL, each summed over codes and patients (the reference's reduction).</summary>
    private (Tensor Loss, Tensor Bce, Tensor Kl) NegativeElbo(Tensor x, Generator rng)
    {
        var (mu, logVar, logits) = Reconstruct(x, rng);                               // [B, Z], [B, Z], [B, D]
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, x, reduction: nn.Reduction.Sum); // []
        var kl = logVar.Plus(1).Minus(mu.Square()).Minus(logVar.exp()).sum().Times(-0.5);   // []
        return (bce.Plus(kl), bce, kl);
    }

    /// <summary>Encodes <paramref name="x"/> <c>[B, D]</c>, draws z = μ + ε·exp(½ log σ²) (the reparameterisation) and decodes it.</summary>
    private (Tensor Mu, Tensor LogVar, Tensor Logits) Reconstruct(Tensor x, Generator rng)
    {
        var (mu, logVar) = _encoder!.call(x);                                         // [B, Z], [B, Z]
        var eps = randn(mu.shape, device: Device, generator: rng);                    // [B, Z]
        var z = mu.Plus(eps * logVar.Times(0.5).exp());                               // [B, Z]
        return (mu, logVar, _decoder!.call(z));                                       // [B, Z], [B, Z], [B, D]
    }
}
