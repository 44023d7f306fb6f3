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
/// and what the discriminator is shown of generated records.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
public abstract class GanGeneratorBase<TOptions> : TorchGeneratorBase<TOptions>
    where TOptions : GanOptions
{
    private const string CollapseStateKey = "mode_collapse";
    private const string OffsetsStateKey = "prevalenceOffsets";
    private float[]? _offsets;

    private protected GanGeneratorBase(TOptions options, ILogger? logger)
        : base(options, logger)
    {
    }

    /// <summary>The mode-collapse warning of the last fit, or <see langword="null"/>.</summary>
    public string? ModeCollapseWarning { get; private set; }

    /// <summary>
    /// Generated probabilities [B, D] as the discriminator sees them: unchanged, or 0/1 samples with
    /// <see cref="GanOptions.SampledFakes"/> — carrying a straight-through gradient in the generator's update.
    /// </summary>
    internal Tensor ShownToDiscriminator(Tensor probabilities, Generator rng, bool generatorUpdate) =>
        !Options.SampledFakes ? probabilities
        : generatorUpdate ? StraightThroughBernoulli.SampleWithGradient(probabilities, rng)
        : StraightThroughBernoulli.Sample(probabilities, rng);

    /// <summary>The prevalence offsets of <see cref="GanOptions.CalibratePrevalence"/>; <see langword="null"/> without.</summary>
    internal IReadOnlyList<float>? PrevalenceOffsets => _offsets;

    /// <summary>Puts the model in sampling mode; disposing the result puts back what sampling changed (medGAN: BatchNorm statistics).</summary>
    private protected abstract IDisposable? BeginSampling(Generator rng, CancellationToken cancellationToken);

    /// <summary>Per-code probabilities <c>[b, D]</c> of <paramref name="b"/> new records, after <see cref="BeginSampling"/>.</summary>
    private protected abstract Tensor SampleProbabilities(int b, Generator rng);

    /// <inheritdoc />
    protected sealed override EhrDataset Sample(int count, Generator rng, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        using var noGrad = no_grad();
        using var sampling = BeginSampling(rng, cancellationToken);
        using var offsets = _offsets is null ? null : tensor(_offsets, device: Device);     // [D]
        return DenseBatch.SampleRecords(ModelVocabulary, Options, count, b =>
        {
            var p = SampleProbabilities(b, rng);                                              // [b, D]
            return offsets is null ? p : PrevalenceCalibration.Apply(p, offsets);             // [b, D]
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
            int calibrationSeed = (int)(SeedScope.Derive(FitSeed, -11) & int.MaxValue);
            _offsets = RunCalibration(calibrationSeed, train);        // samples probabilities only: the old offsets play no part
            Log.PrevalenceCalibrated(Logger, Name, Options.CalibrationSamples);
        }

        int seed = (int)(SeedScope.Derive(FitSeed, -7) & int.MaxValue);
        ModeCollapseWarning = GanCollapseCheck.Run(Name, Options, train, n => RunSampling(seed, rng => Sample(n, rng, null, CancellationToken.None)), Logger);
    }

    /// <inheritdoc />
    protected override void OnLoaded(GeneratorManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ModeCollapseWarning = manifest.State.TryGetValue(CollapseStateKey, out var w) ? w.GetString() : null;
        if (!Options.CalibratePrevalence || IsTrainingCheckpoint(manifest))
        {
            return;                                                                           // a checkpoint: fitted when the fit ends
        }

        _offsets = ReadCodeArray(manifest, OffsetsStateKey, nameof(GanOptions.CalibratePrevalence));
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
            state[OffsetsStateKey] = JsonSerializer.SerializeToElement(_offsets);
        }
    }

    private float[] RunCalibration(int seed, EhrDataset train)
    {
        using var rng = new Generator((ulong)seed, Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var sampling = BeginSampling(rng, CancellationToken.None);
        var parts = new List<Tensor>();
        for (int done = 0; done < Options.CalibrationSamples; done += Options.GenerationBatchSize)
        {
            int b = Math.Min(Options.GenerationBatchSize, Options.CalibrationSamples - done);
            parts.Add(PrevalenceCalibration.Logits(SampleProbabilities(b, rng)));              // [b, D]
        }

        return PrevalenceCalibration.FitOffsets(cat(parts, 0), train.CodePrevalence());     // [M, D] → D offsets
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
