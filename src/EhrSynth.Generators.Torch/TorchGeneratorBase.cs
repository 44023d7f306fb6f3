using System.Diagnostics;
using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using Microsoft.Extensions.Logging;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// The shared TorchSharp template every family builds on: device, seeds, the training loop (phases, epochs, batches,
/// progress, cancellation per batch, NaN/Inf detection), checkpoints and exact resume, held-out model selection and
/// early stopping, and sampling under <c>no_grad</c> with an explicit generator. A family implements the protected hooks
/// (docs/extending.md); generator users see no TorchSharp type. Fits, loads and sampling of torch-backed generators in one
/// process take turns, because libtorch's random generator and thread setting are process-wide (a second caller waits;
/// see <see cref="TorchProcessGate"/>); separate processes run in parallel.
/// </summary>
/// <typeparam name="TOptions">The family's options.</typeparam>
public abstract class TorchGeneratorBase<TOptions> : EhrGeneratorBase<TOptions>, ITorchGenerator, Privacy.IDifferentiallyPrivate, ITrainingCostSource, IFitNotes
    where TOptions : TorchGeneratorOptions
{
    private const string PrivacyStateKey = "privacy";
    private readonly List<string> _fitNotes = [];
    private bool _built;
    private long _processed;
    private string _processedUnit = StepResult.Samples;

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

    /// <inheritdoc />
    protected override void FitCore(EhrDataset trainingData, int seed, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        using var gate = TorchProcessGate.Enter(Logger, Name, cancellationToken);
        using var threads = TorchThreads.Use(Options.Threads);
        Device = TorchDevices.Resolve(Options.Device);
        ModelVocabulary = trainingData.Vocabulary;
        var resume = TrainingCheckpoint.Find(Options.CheckpointDirectory, Name, trainingData.Vocabulary, Options.Seed, ref seed);
        if (resume is not null)
        {
            UseTrainingSeed(seed);
        }

        _fitNotes.Clear();
        var (train, validation) = SplitValidation(PrepareTrainingData(trainingData, seed), seed);
        ReleaseModel();
        (PrivacyGuarantee, LastTrainingCost, _processed, _processedUnit) = (null, null, 0, StepResult.Samples);
        SeedScope.SetGlobal(SeedScope.Derive(seed, 0));
        BuildModel(trainingData.CodeCount);
        _built = true;
        var phases = Phases(train.PatientCount);
        var privatePlan = Options.Privacy is { } privacy ? PlanPrivateTraining(privacy, phases, train.PatientCount) : null;
        if (privatePlan is not null)
        {
            RequirePublicVocabulary(trainingData);                      // before any step: a family without DP-SGD said so above
        }

        PrivatePrevalences = null;
        if (privatePlan is not null)
        {
            phases = [privatePlan.Phase];
            if (Options.Privacy!.PrevalenceNoiseMultiplier is { } z)
            {
                // The same release on a resumed fit: its noise is seeded like the rest of the fit.
                PrivatePrevalences = Privacy.PrivatePrevalences.Release(train, z, Options.Privacy.PrevalenceCodeCap, (int)(SeedScope.Derive(seed, -17) & int.MaxValue));
            }
        }

        using var selector = new ModelSelector(Options);
        var state = new TrainingState { TrainingPatients = train.PatientCount };
        if (resume is { } r)
        {
            state = Restore(Options.CheckpointDirectory!, r.Manifest, r.State, selector);
            Log.Resumed(Logger, Name, Options.CheckpointDirectory!, state.PhaseIndex, state.EpochsDone);
        }
        else
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            InitializeFromData(train);
        }

        for (int p = state.PhaseIndex; p < phases.Count && !state.Completed; p++)
        {
            var start = p == state.PhaseIndex ? state : state with { PhaseIndex = p, EpochsDone = 0 };
            state = RunPhase(phases, p, start, train, validation, seed, selector, progress, cancellationToken);
        }

        if (selector.Best is { } best)
        {
            CheckpointStore.Restore(Modules(), best);
            Log.BestRestored(Logger, Name, state.BestEpoch, state.BestScore ?? double.NaN);
        }

        OnFitEnd(train);
        LastTrainingCost = new TrainingCost(TrainableParameters(), _processed, _processedUnit);
        PrivacyGuarantee = privatePlan?.Guarantee();
        if (PrivacyGuarantee is { } spent)
        {
            Log.PrivacySpent(Logger, Name, spent.ToString());
        }
    }

    /// <inheritdoc />
    protected override EhrDataset GenerateCore(int count, int seed, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        RunSampling(seed, rng => Sample(count, rng, progress, cancellationToken), cancellationToken);

    /// <inheritdoc />
    protected override void SaveCore(string folder, Dictionary<string, JsonElement> state)
    {
        CheckpointStore.SaveWeights(Path.Combine(folder, CheckpointStore.WeightsFile), Modules());
        CheckpointStore.SaveOptimizers(folder, Optimizers());
        if (PrivacyGuarantee is { } privacy)
        {
            state[PrivacyStateKey] = JsonSerializer.SerializeToElement(privacy);
        }

        SaveState(state);
    }

    /// <inheritdoc />
    protected override void LoadCore(string folder, GeneratorManifest manifest, CodeVocabulary vocabulary)
    {
        using var gate = TorchProcessGate.Enter(Logger, Name);
        Device = TorchDevices.Resolve(Options.Device);
        ModelVocabulary = vocabulary;
        ReleaseModel();
        BeforeLoad(folder, manifest);
        var weights = SafetensorsFile.ReadHeader(Path.Combine(folder, CheckpointStore.WeightsFile));
        if (StateSize(vocabulary.Count) is { } expected && expected != weights.TotalElements)
        {
            throw new EhrDataFormatException(
                $"the weights hold {weights.TotalElements:N0} values, but the saved options describe a {Name} of {expected:N0} for {vocabulary.Count:N0} codes; the folder is inconsistent",
                weights.Path);
        }

        BuildModel(vocabulary.Count);
        _built = true;
        CheckpointStore.LoadWeights(weights, Modules());
        PrivacyGuarantee = manifest.State.TryGetValue(PrivacyStateKey, out var privacy) ? privacy.Deserialize<Privacy.PrivacyGuarantee>() : null;
        OnLoaded(manifest);
    }

    /// <inheritdoc />
    long ITorchGenerator.MeasureModelBuildResidue(int codeCount)
    {
        RequireUnbuilt();
        using var gate = TorchProcessGate.Enter(Logger, Name);
        long before = Tensor.TotalCount;
        ModelVocabulary = new CodeVocabulary(Enumerable.Range(0, codeCount).Select(i => $"c{i}"));
        BuildModel(codeCount);
        ReleaseModel();
        return Tensor.TotalCount - before;
    }

    /// <inheritdoc />
    (long? Predicted, long Actual) ITorchGenerator.MeasureStateSize(int codeCount)
    {
        RequireUnbuilt();
        using var gate = TorchProcessGate.Enter(Logger, Name);
        ModelVocabulary = new CodeVocabulary(Enumerable.Range(0, codeCount).Select(i => $"c{i}"));
        BuildModel(codeCount);
        try
        {
            long actual = Modules().Sum(m => m.Module.state_dict().Values.Sum(t => t.numel()));
            return (StateSize(codeCount), actual);
        }
        finally
        {
            ReleaseModel();
        }
    }

    /// <inheritdoc />
    void ITorchGenerator.BuildForInspection(EhrDataset data)
    {
        RequireUnbuilt();
        using var gate = TorchProcessGate.Enter(Logger, Name);
        ModelVocabulary = data.Vocabulary;
        BuildModel(data.CodeCount);
        _built = true;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        InitializeFromData(data);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _built)
        {
            ReleaseModel();
            _built = false;
        }

        base.Dispose(disposing);
    }

    /// <summary>Checks that the family and data allow DP-SGD, calibrates σ, and builds the private phase.</summary>
    private PrivateTrainingPlan PlanPrivateTraining(DifferentialPrivacyOptions privacy, IReadOnlyList<TrainingPhase> phases, int patients)
    {
        var objective = CreatePrivateObjective();
        if (objective is null || phases.Count != 1)
        {
            throw new NotSupportedException(
                $"{Name} does not support differential privacy" +
                (objective is null ? "" : $": it trains in {phases.Count} phases ({string.Join(", ", phases.Select(p => p.Name))}), and DP-SGD replaces a single one") +
                ". The families that do: VAE, EHRDiff, DDPM and the GPT-2 LLM (docs/privacy.md).");
        }

        var problems = new List<string>();
        if (privacy.Delta >= 1.0 / patients)
        {
            problems.Add($"Privacy.Delta {privacy.Delta:G3} is not below 1/N = {1.0 / patients:G3} for N = {patients:N0} training patients");
        }

        int batch = PrivateTrainingPlan.ExpectedBatch(privacy, phases[0]);
        if (batch >= patients)
        {
            problems.Add($"the batch size {batch:N0} is not below the {patients:N0} training patients, so Poisson sampling would not subsample");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"{Name}: cannot train privately: {string.Join("; ", problems)}.");
        }

        return new PrivateTrainingPlan(privacy, objective, phases[0], patients);
    }

    /// <summary>Trainable parameters over every module, a module or tensor shared between networks counted once.</summary>
    private long TrainableParameters() => Modules()
        .SelectMany(m => m.Module.parameters())
        .Distinct(ReferenceEqualityComparer.Instance)
        .Cast<Parameter>()
        .Where(p => p.requires_grad)
        .Sum(p => p.numel());

    private void RequireUnbuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("Measure on an unfitted generator.");
        }
    }

    private TrainingState RunPhase(IReadOnlyList<TrainingPhase> phases, int phaseIndex, TrainingState state, EhrDataset train, EhrDataset? validation, int seed, ModelSelector selector, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var phase = phases[phaseIndex];
        bool last = phaseIndex == phases.Count - 1;
        int stepsPerEpoch = phase.Steps(train.PatientCount);
        long totalSteps = (long)stepsPerEpoch * phase.Epochs;
        OnPhaseStart(phase, train);
        var watch = Stopwatch.StartNew();
        for (int epoch = state.EpochsDone + 1; epoch <= phase.Epochs; epoch++)
        {
            // Every random source of an epoch is derived from (seed, phase, epoch): resuming at an epoch boundary
            // replays exactly what an uninterrupted run would draw.
            long epochSeed = SeedScope.Derive(seed, phaseIndex + 1, epoch);
            SeedScope.SetGlobal(epochSeed);
            using var rng = new Generator((ulong)epochSeed, Device);
            var batches = new EpochBatches(train.PatientCount, epochSeed, phase.DropLast);
            var window = new LossAverager();
            var whole = new LossAverager();
            for (int s = 1; s <= stepsPerEpoch; s++)
            {
                ct.ThrowIfCancellationRequested();
                long step = ((long)(epoch - 1) * stepsPerEpoch) + s;
                StepResult result;
                using (var scope = NewDisposeScope())
                {
                    result = phase.Step(new StepContext(train, phase, epoch, step, totalSteps, rng, Device, batches));
                }

                foreach (var (key, value) in result.Losses)
                {
                    if (!double.IsFinite(value))
                    {
                        throw Diverged(phase, epoch, step, key, value);
                    }
                }

                window.Add(result, phase.BatchSize);
                whole.Add(result, phase.BatchSize);
                (_processed, _processedUnit) = (_processed + (result.Processed ?? phase.BatchSize), result.Unit);
                if (s % Options.ReportEvery == 0 && s < stepsPerEpoch)
                {
                    progress?.Report(new TrainingProgress(phase.Name, epoch, phase.Epochs, step, totalSteps, window.Mean(), watch.Elapsed, window.Throughput(), Unit: window.Unit));
                    window = new LossAverager();
                }
            }

            double? score = null;
            if (last && validation is not null && Options.Selection != ModelSelection.None)
            {
                score = Score(validation, seed, selector);
                state = selector.Record(state, epoch, score.Value, () => CheckpointStore.Snapshot(Modules()));
            }

            bool stopEarly = Options.EarlyStoppingPatience is { } patience && state.EpochsWithoutImprovement >= patience;
            bool done = last && (epoch == phase.Epochs || stopEarly);
            state = state with { PhaseIndex = phaseIndex, EpochsDone = epoch, Completed = done };
            if (Options.CheckpointDirectory is { } dir && (epoch % Options.CheckpointEvery == 0 || epoch == phase.Epochs || stopEarly))
            {
                TrainingCheckpoint.Write(dir, state, selector.Best, SaveCore, extra => CreateManifest(train.Vocabulary, extra));
                Log.CheckpointSaved(Logger, Name, dir, state.PhaseIndex, state.EpochsDone);
            }

            Log.EpochFinished(Logger, Name, phase.Name, epoch, phase.Epochs, whole.Format(), score ?? double.NaN, watch.Elapsed.TotalSeconds);
            progress?.Report(new TrainingProgress(phase.Name, epoch, phase.Epochs, (long)epoch * stepsPerEpoch, totalSteps, window.Mean(), watch.Elapsed, window.Throughput(), score, window.Unit, IsEpochEnd: true));
            if (stopEarly)
            {
                Log.EarlyStopped(Logger, Name, epoch, state.BestEpoch);
                break;
            }
        }

        return last ? state with { Completed = true } : state;
    }

    private double Score(EhrDataset validation, int seed, ModelSelector selector)
    {
        using var rng = new Generator((ulong)SeedScope.Derive(seed, -1), Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return selector.Score(validation, () => ValidationLoss(validation, rng), n => Sample(n, rng, null, CancellationToken.None));
    }

    private TrainingState Restore(string folder, GeneratorManifest manifest, TrainingState state, ModelSelector selector)
    {
        CheckpointStore.LoadWeights(Path.Combine(folder, CheckpointStore.WeightsFile), Modules());

        // The optimizer state carries its learning rates; the options are authoritative (a resumed run may change them).
        var rates = Optimizers().Select(o => o.Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray()).ToList();
        CheckpointStore.LoadOptimizers(folder, Optimizers());
        foreach (var (optimizer, lr) in Optimizers().Zip(rates))
        {
            foreach (var (group, rate) in optimizer.Optimizer.ParamGroups.Zip(lr))
            {
                group.LearningRate = rate;
            }
        }

        OnLoaded(manifest);
        string bestPath = Path.Combine(folder, CheckpointStore.BestWeightsFile);
        if (File.Exists(bestPath))
        {
            var current = CheckpointStore.Snapshot(Modules());
            CheckpointStore.LoadWeights(bestPath, Modules());
            selector.Restore(CheckpointStore.Snapshot(Modules()));
            CheckpointStore.Restore(Modules(), current);
            CheckpointStore.Dispose(current);
        }

        return state;
    }

    private (EhrDataset Train, EhrDataset? Validation) SplitValidation(EhrDataset data, int seed)
    {
        if (Options.ValidationFraction <= 0)
        {
            return (data, null);
        }

        var (validation, train) = data.Split(Options.ValidationFraction, seed);
        if (validation.PatientCount < 2)
        {
            throw new ArgumentException($"{Name}: ValidationFraction {Options.ValidationFraction} leaves {validation.PatientCount} validation patients; at least 2 are needed.");
        }

        return (train, validation);
    }

    private TrainingDivergedException Diverged(TrainingPhase phase, int epoch, long step, string key, double value)
    {
        string? last = Options.CheckpointDirectory is { } dir && File.Exists(Path.Combine(dir, GeneratorManifest.FileName)) ? dir : null;
        string message = $"{Name}: the {key} became {value} in phase '{phase.Name}', epoch {epoch}, step {step}. " +
            (last is null ? "Set CheckpointDirectory to keep the last good state." : $"The last good checkpoint is in {last}.") +
            " Try a lower learning rate.";
        Log.Diverged(Logger, Name, phase.Name, epoch, step, key);
        return new TrainingDivergedException(message, phase.Name, epoch, step, last);
    }
}
