using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using Microsoft.Extensions.Logging;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// The shared TorchSharp template every family builds on: this file is its contract, the hooks a family implements
/// (docs/extending.md); a fit's loop is a <see cref="TrainingRun"/>. Generator users see no TorchSharp type. Fits, loads
/// and sampling of torch-backed generators in one process take turns, because libtorch's random generator and thread
/// setting are process-wide (<see cref="TorchProcessGate"/>); separate processes run in parallel.
/// </summary>
/// <typeparam name="TOptions">The family's options.</typeparam>
public abstract partial class TorchGeneratorBase<TOptions> : EhrGeneratorBase<TOptions>, ITorchDiagnostics, ITrainingHost, Privacy.IDifferentiallyPrivate, ITrainingCostSource, IFitNotes
    where TOptions : TorchGeneratorOptions
{
    private const string PrivacyStateKey = "privacy";
    private readonly List<string> _fitNotes = [];
    private bool _built;

    /// <summary>Validates and copies the options.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid; every problem is listed.</exception>
    protected TorchGeneratorBase(TOptions options, ILogger? logger)
        : base(options, logger)
    {
    }

    /// <summary>The device tensors live on, resolved at fit or load time.</summary>
    protected Device Device { get; private set; } = CPU;

    /// <summary>The vocabulary the model is built for (set at the start of a fit or load, before <see cref="BuildModel"/>).</summary>
    protected CodeVocabulary ModelVocabulary { get; private set; } = new([]);

    /// <summary>Creates the networks and optimizers for <paramref name="codeCount"/> codes on <see cref="Device"/>.</summary>
    protected abstract void BuildModel(int codeCount);

    /// <summary>Releases the networks and optimizers (before a rebuild, and on dispose). Must accept being called when nothing is built.</summary>
    protected abstract void ReleaseModel();

    /// <summary>The training phases, in order, each with its step.</summary>
    protected abstract IReadOnlyList<TrainingPhase> Phases(int trainingPatients);

    /// <summary>The networks whose state makes up the model, by stable name (the weights file's key prefixes).</summary>
    protected abstract IEnumerable<(string Name, nn.Module Module)> Modules();

    /// <summary>The optimizers, by stable name (saved for resume).</summary>
    protected abstract IEnumerable<(string Name, OptimizerHelper Optimizer)> Optimizers();

    /// <summary>Samples <paramref name="count"/> records with the model in eval mode; runs under <c>no_grad</c> in a dispose scope.</summary>
    protected abstract EhrDataset Sample(int count, Generator rng, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// The number of values (parameters and buffers) the model's saved state holds for <paramref name="codeCount"/>
    /// codes, computed from the options without building it (<see cref="ModuleSizes"/>); <see langword="null"/> when the
    /// family cannot say. Loading compares it with the weights file before building anything, so a saved folder whose
    /// options describe a model larger than its weights is refused before any allocation.
    /// </summary>
    protected virtual long? StateSize(int codeCount) => null;

    /// <summary>Mean training objective per patient on held-out data (for <see cref="ModelSelection.ValidationLoss"/>).</summary>
    protected virtual double ValidationLoss(EhrDataset validation, Generator rng) =>
        throw new NotSupportedException($"{Name} has no validation loss; use Selection = Metric.");

    /// <summary>
    /// What a differentially private fit guarantees: (ε, δ) and the DP-SGD settings, saved with the model;
    /// <see langword="null"/> for an ordinary fit or an unfitted generator.
    /// </summary>
    public Privacy.PrivacyGuarantee? PrivacyGuarantee { get; private set; }

    /// <inheritdoc />
    public TrainingCost? LastTrainingCost { get; private set; }

    /// <summary>
    /// The family's per-patient objective for DP-SGD (<see cref="TorchGeneratorOptions.Privacy"/>), called after
    /// <see cref="BuildModel"/>; <see langword="null"/> (the default) when the family does not support private training.
    /// Only single-phase families can: DP-SGD replaces the phase's step.
    /// </summary>
    protected virtual PrivateObjective? CreatePrivateObjective() => null;

    /// <summary>
    /// Whether this fit is differentially private (<see cref="TorchGeneratorOptions.Privacy"/>): then nothing computed
    /// from the training data outside DP-SGD may enter the model — <see cref="InitializeFromData"/> must not copy data
    /// statistics (such as code log-odds) into it.
    /// </summary>
    protected bool IsPrivateFit => Options.Privacy is not null;

    /// <summary>
    /// In a private fit with <see cref="DifferentialPrivacyOptions.PrevalenceNoiseMultiplier"/>, the code prevalences
    /// released before training (<see cref="Privacy.PrivatePrevalences"/>, charged to the guarantee): what a family may use
    /// instead of the training prevalences. <see langword="null"/> otherwise.
    /// </summary>
    protected IReadOnlyList<double>? PrivatePrevalences { get; private set; }

    /// <summary>
    /// Called at the start of every fit (fresh or resumed), before the validation split and <see cref="BuildModel"/>:
    /// a family may size its model to the data or leave out what it cannot train on, deterministically for
    /// <paramref name="seed"/>, and must say so in <see cref="FitNotes"/>. The default returns the data unchanged.
    /// </summary>
    protected virtual EhrDataset PrepareTrainingData(EhrDataset trainingData, int seed) => trainingData;

    /// <summary>What the last fit did beyond its options (for example the model's positions grown to fit the data), for reports.</summary>
    public IReadOnlyList<string> FitNotes => _fitNotes;

    /// <summary>Adds a line to <see cref="FitNotes"/> (cleared at the start of every fit).</summary>
    protected void AddFitNote(string note) => _fitNotes.Add(note);

    /// <summary>
    /// Called once before a fresh fit trains (not on resume), under <c>no_grad</c>, for data-dependent initialisation. In a
    /// private fit (<see cref="IsPrivateFit"/>) it may only check the data or use public information.
    /// </summary>
    protected virtual void InitializeFromData(EhrDataset train)
    {
    }

    /// <summary>Called when a phase starts (or resumes) training.</summary>
    protected virtual void OnPhaseStart(TrainingPhase phase, EhrDataset data)
    {
    }

    /// <summary>
    /// Called after the last phase and the best weights are restored, also when a resumed fit had nothing left to train
    /// (for example a mode-collapse check, or calibration against <paramref name="train"/>: the training patients, without
    /// any validation share).
    /// </summary>
    protected virtual void OnFitEnd(EhrDataset train)
    {
    }

    /// <summary>Called before the model is built for a load (for example to read an architecture saved in the manifest).</summary>
    protected virtual void BeforeLoad(string folder, GeneratorManifest manifest)
    {
    }

    /// <summary>Called after weights were loaded, or restored from a checkpoint (for example to rebuild derived state).</summary>
    protected virtual void OnLoaded(GeneratorManifest manifest)
    {
    }

    /// <summary>
    /// A per-code array that a finished model saved in its state (calibration offsets, thresholds): one finite number
    /// per vocabulary code, or an error naming the option that needs it.
    /// </summary>
    /// <exception cref="EhrDataFormatException">The array is missing, malformed, of another length or not finite.</exception>
    protected float[] ReadCodeArray(GeneratorManifest manifest, string key, string option)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        float[]? values = null;
        try
        {
            values = manifest.State.TryGetValue(key, out var saved) ? saved.Deserialize<float[]>() : null;
        }
        catch (JsonException)
        {
        }

        return values is not null && values.Length == ModelVocabulary.Count && values.All(float.IsFinite)
            ? values
            : throw new EhrDataFormatException(
                $"the options say {option}, but the state has no '{key}' array of {ModelVocabulary.Count:N0} finite numbers",
                GeneratorManifest.FileName);
    }

    /// <summary>
    /// Whether <paramref name="manifest"/> is a training checkpoint (written after an epoch, restored by a resumed fit)
    /// rather than a finished model: state that a family computes when the fit ends is not in it yet.
    /// </summary>
    protected static bool IsTrainingCheckpoint(GeneratorManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.State.ContainsKey(TrainingCheckpoint.StateKey);
    }

    /// <summary>Family state stored in the manifest beside the weights.</summary>
    protected virtual void SaveState(Dictionary<string, JsonElement> state)
    {
    }

    /// <summary>
    /// Runs <paramref name="sample"/> the way <c>Generate</c> does: on the fit's threads and device, with a generator
    /// seeded from <paramref name="seed"/>, in a dispose scope, under <c>no_grad</c>. For generation entry points a family
    /// adds beside <c>Generate</c> (see <see cref="EhrGeneratorBase{TOptions}.GenerateWith"/>). Waiting for another
    /// generator to leave libtorch's process-wide state honours <paramref name="cancellationToken"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    protected EhrDataset RunSampling(int seed, Func<Generator, EhrDataset> sample, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        using var gate = TorchProcessGate.Enter(Logger, Name, cancellationToken);
        using var threads = TorchThreads.Use(Options.Threads);
        using var rng = new Generator((ulong)seed, Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return sample(rng);
    }

    /// <summary>
    /// An in-memory copy of the weights of every module of <see cref="Modules"/>, for a family that keeps its best
    /// weights by a criterion of its own during a fit; put it back with <see cref="RestoreWeights"/>, then dispose it.
    /// </summary>
    protected WeightSnapshot SnapshotWeights() => new(CheckpointStore.Snapshot(Modules()));

    /// <summary>Copies <paramref name="snapshot"/> back into the modules (which keep their tensors; the snapshot stays valid).</summary>
    protected void RestoreWeights(WeightSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        CheckpointStore.Restore(Modules(), snapshot.Tensors);
    }

    /// <summary>Disposes each of <paramref name="parts"/> that is not <see langword="null"/> (networks, optimizers): for <see cref="ReleaseModel"/>.</summary>
    protected static void DisposeAll(params IDisposable?[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        foreach (var part in parts)
        {
            part?.Dispose();
        }
    }

    /// <summary>
    /// The patients of <paramref name="data"/> as index batches of <paramref name="batchSize"/>, in order: what a
    /// <see cref="ValidationLoss"/> walks with <see cref="SumInScopes"/>.
    /// </summary>
    protected static IEnumerable<int[]> PatientBatches(EhrDataset data, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Enumerable.Range(0, data.PatientCount).Chunk(batchSize);
    }

    /// <summary>
    /// Sums <paramref name="value"/> over <paramref name="batches"/>, each in its own dispose scope, in order: the loop of a
    /// <see cref="ValidationLoss"/> (which divides the sum by its patients or tokens).
    /// </summary>
    protected static double SumInScopes<T>(IEnumerable<T> batches, Func<T, double> value)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(value);
        double total = 0;
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            total += value(batch);
        }

        return total;
    }
}
