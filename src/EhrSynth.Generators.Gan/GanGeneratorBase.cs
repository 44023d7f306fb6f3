using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan;

/// <summary>
/// What medGAN and CorGAN share: sampling (probabilities → records, with the optional prevalence offsets), the
/// mode-collapse check at the end of a fit, its warning saved with the model and repeated in every generation report,
/// and what the discriminator is shown of generated records. An outside GAN subclasses it (docs/extending.md): it
/// implements the training phases, networks and optimizers of <see cref="TorchGeneratorBase{TOptions}"/> and the two
/// sampling hooks below, and gets calibration, the collapse check and batched, cancellable sampling.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
public abstract class GanGeneratorBase<TOptions> : TorchGeneratorBase<TOptions>
    where TOptions : GanOptions
{
    private const string CollapseStateKey = "modeCollapse";
    private const string LegacyCollapseStateKey = "mode_collapse";          // written before 2026-12; still read
    private const string OffsetsStateKey = "prevalenceOffsets";
    private CodeCalibration? _offsets;

    /// <summary>Validates and copies the options.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid; every problem is listed.</exception>
    protected GanGeneratorBase(TOptions options, ILogger? logger)
        : base(options, logger)
    {
    }

    /// <summary>The mode-collapse warning of the last fit, or <see langword="null"/>.</summary>
    public string? ModeCollapseWarning { get; private set; }

    /// <summary>
    /// Generated probabilities [B, D] as the discriminator sees them: unchanged, or 0/1 samples with
    /// <see cref="GanOptions.SampledFakes"/> — carrying a straight-through gradient in the generator's update.
    /// </summary>
    protected Tensor ShownToDiscriminator(Tensor probabilities, Generator rng, bool generatorUpdate) =>
        !Options.SampledFakes ? probabilities
        : generatorUpdate ? StraightThroughBernoulli.SampleWithGradient(probabilities, rng)
        : StraightThroughBernoulli.Sample(probabilities, rng);

    /// <summary>
    /// The autoencoder pre-training phase medGAN and CorGAN run before the adversarial one: <paramref name="autoencoder"/>
    /// maps a batch <c>[B, D]</c> to reconstruction logits, trained by <paramref name="optimizer"/> on the binary cross-entropy
    /// summed over codes and averaged over patients (both references' loss).
    /// </summary>
    protected static TrainingPhase AutoencoderPretraining(nn.Module<Tensor, Tensor> autoencoder, Torch.Optimizers.Adam optimizer, int epochs, int batchSize, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(autoencoder);
        ArgumentNullException.ThrowIfNull(optimizer);
        return new TrainingPhase(TrainingPhaseName.PretrainAutoencoder, epochs, batchSize, step =>
        {
            autoencoder.train();
            var x = step.NextDenseBatch();                                                          // [B, D]
            var logits = autoencoder.call(x);                                                       // [B, D]
            var loss = nn.functional.binary_cross_entropy_with_logits(logits, x, reduction: nn.Reduction.None).sum(1).mean(); // []
            optimizer.zero_grad();
            loss.backward();
            optimizer.Step();
            return new StepResult(new Dictionary<string, double> { ["loss"] = loss.item<float>() });
        }, DropLast: dropLast);
    }

    /// <summary>The prevalence offsets of <see cref="GanOptions.CalibratePrevalence"/>; <see langword="null"/> without.</summary>
    internal IReadOnlyList<float>? PrevalenceOffsets => _offsets?.Values;

    /// <summary>Puts the model in sampling mode; disposing the result puts back what sampling changed (medGAN: BatchNorm statistics).</summary>
    protected abstract IDisposable? BeginSampling(Generator rng, CancellationToken cancellationToken);

    /// <summary>Per-code probabilities <c>[b, D]</c> of <paramref name="b"/> new records, after <see cref="BeginSampling"/>.</summary>
    protected abstract Tensor SampleProbabilities(int b, Generator rng);

    /// <inheritdoc />
    protected sealed override EhrDataset Sample(int count, Generator rng, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        using var noGrad = no_grad();
        using var sampling = BeginSampling(rng, cancellationToken);
        return DenseBatch.SampleRecords(ModelVocabulary, Options, count, b =>
        {
            var p = SampleProbabilities(b, rng);                                              // [b, D]
            return _offsets is null ? p : _offsets.Apply(p, Options.Threshold);              // [b, D]
        }, rng, progress, cancellationToken);
    }

    /// <inheritdoc />
    protected override void ReleaseModel() => _offsets = null;

    /// <inheritdoc />
    protected override void OnFitEnd(EhrDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (Options.CalibratePrevalence)
        {
            int calibrationSeed = SeedScope.DeriveInt(FitSeed, -11);
            _offsets = RunCalibration(calibrationSeed, train);        // samples probabilities only: the old offsets play no part
            Log.PrevalenceCalibrated(Logger, Name, Options.CalibrationSamples);
        }

        int seed = SeedScope.DeriveInt(FitSeed, -7);
        ModeCollapseWarning = GanCollapseCheck.Run(Name, Options, train, n => RunSampling(seed, rng => Sample(n, rng, null, CancellationToken.None)), Logger);
    }

    /// <inheritdoc />
    protected override void OnLoaded(GeneratorManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ModeCollapseWarning = manifest.State.TryGetValue(CollapseStateKey, out var w) || manifest.State.TryGetValue(LegacyCollapseStateKey, out w) ? w.GetString() : null;
        if (!Options.CalibratePrevalence || IsTrainingCheckpoint(manifest))
        {
            return;                                                                           // a checkpoint: fitted when the fit ends
        }

        _offsets = CodeCalibration.FromValues(CodeCalibrationMethod.LogOddsOffsets, ReadCodeArray(manifest, OffsetsStateKey, nameof(GanOptions.CalibratePrevalence)));
    }

    /// <inheritdoc />
    protected override void SaveState(Dictionary<string, JsonElement> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (ModeCollapseWarning is not null)
        {
            state[CollapseStateKey] = JsonSerializer.SerializeToElement(ModeCollapseWarning);
        }

        if (_offsets is not null)
        {
            state[OffsetsStateKey] = JsonSerializer.SerializeToElement(_offsets.Values);
        }
    }

    private CodeCalibration RunCalibration(int seed, EhrDataset train)
    {
        using var rng = new Generator((ulong)seed, Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var sampling = BeginSampling(rng, CancellationToken.None);
        return CodeCalibration.Fit(CodeCalibrationMethod.LogOddsOffsets, Options.CalibrationSamples, Options.GenerationBatchSize,
            b => SampleProbabilities(b, rng), train.CodePrevalence());                       // M samples [b, D] → D offsets
    }

    /// <inheritdoc />
    protected override EhrDataset GenerateCore(int count, int seed, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var data = base.GenerateCore(count, seed, progress, cancellationToken);
        if (ModeCollapseWarning is not null)
        {
            ReportGeneration(new GenerationReport { Notes = [ModeCollapseWarning] });
        }

        return data;
    }
}
