using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan;

/// <summary>
/// What medGAN and CorGAN share: the mode-collapse check at the end of a fit, its warning saved with the model and
/// repeated in every generation report, and what the discriminator is shown of generated records.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
public abstract class GanGeneratorBase<TOptions> : TorchGeneratorBase<TOptions>
    where TOptions : GanOptions
{
    private const string CollapseStateKey = "mode_collapse";
    private EhrDataset? _train;

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

    /// <inheritdoc />
    protected override void OnPhaseStart(TrainingPhase phase, EhrDataset data) => _train = data;

    /// <inheritdoc />
    protected override void OnFitEnd()
    {
        int seed = (int)(SeedScope.Derive(Options.Seed ?? 0, -7) & int.MaxValue);
        ModeCollapseWarning = GanCollapseCheck.Run(Name, Options, _train, n => RunSampling(seed, rng => Sample(n, rng, null, CancellationToken.None)), Logger);
        _train = null;
    }

    /// <inheritdoc />
    protected override void OnLoaded(GeneratorManifest manifest) =>
        ModeCollapseWarning = manifest.State.TryGetValue(CollapseStateKey, out var w) ? w.GetString() : null;

    /// <inheritdoc />
    protected override void SaveState(Dictionary<string, JsonElement> state)
    {
        if (ModeCollapseWarning is not null)
        {
            state[CollapseStateKey] = JsonSerializer.SerializeToElement(ModeCollapseWarning);
        }
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
