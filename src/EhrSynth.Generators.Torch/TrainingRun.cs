using System.Diagnostics;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// One fit's training loop: phases, epochs and steps with progress and cancellation per step, the NaN/Inf check of every
/// loss, held-out scoring with model selection and early stopping, checkpoints after epochs, an exact resume from one,
/// and what the steps processed (<see cref="Processed"/>). Every random source of an epoch is derived from
/// (seed, phase, epoch), so resuming at an epoch boundary replays exactly what an uninterrupted run would draw.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    private readonly ITrainingHost _host;
    private readonly TorchGeneratorOptions _options;
    private readonly int _seed;
    private readonly EhrDataset _train;
    private readonly EhrDataset? _validation;
    private readonly ModelSelector _selector;
    private TrainingState _state;

    /// <summary>A fresh run of <paramref name="host"/> on <paramref name="train"/>, scored on <paramref name="validation"/> when there is one.</summary>
    public TrainingRun(ITrainingHost host, int seed, EhrDataset train, EhrDataset? validation)
    {
        (_host, _options, _seed, _train, _validation) = (host, host.Settings, seed, train, validation);
        _selector = new ModelSelector(_options);
        _state = new TrainingState { TrainingPatients = train.PatientCount };
    }

    /// <summary>Items the steps of this run processed (a resumed run counts only what it ran).</summary>
    public long Processed { get; private set; }

    /// <summary>What <see cref="Processed"/> counts: the unit of the last step.</summary>
    public TrainingUnit Unit { get; private set; } = TrainingUnit.Samples;

    /// <summary>
    /// Splits <paramref name="data"/> into training and validation patients by <see cref="TorchGeneratorOptions.ValidationFraction"/>
    /// (none when it is 0), deterministically for <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The validation share would hold fewer than 2 patients.</exception>
    public static (EhrDataset Train, EhrDataset? Validation) SplitValidation(string name, TorchGeneratorOptions options, EhrDataset data, int seed)
    {
        if (options.ValidationFraction <= 0)
        {
            return (data, null);
        }

        var (validation, train) = data.Split(options.ValidationFraction, seed);
        return validation.PatientCount >= 2
            ? (train, validation)
            : throw new ArgumentException($"{name}: ValidationFraction {options.ValidationFraction} leaves {validation.PatientCount} validation patients; at least 2 are needed.");
    }

    /// <summary>
    /// Continues from a checkpoint: its weights, its optimizers' state (with the learning rates of the options, which a
    /// resumed run may change), the family's state and the best weights so far.
    /// </summary>
    public void Resume(string folder, GeneratorManifest manifest, TrainingState state)
    {
        CheckpointStore.LoadWeights(Path.Combine(folder, CheckpointStore.WeightsFile), _host.Modules());
        var rates = _host.Optimizers().Select(o => o.Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray()).ToList();
        CheckpointStore.LoadOptimizers(folder, _host.Optimizers());
        foreach (var (optimizer, lr) in _host.Optimizers().Zip(rates))
        {
            foreach (var (group, rate) in optimizer.Optimizer.ParamGroups.Zip(lr))
            {
                group.LearningRate = rate;
            }
        }

        _host.OnLoaded(manifest);
        string bestPath = Path.Combine(folder, CheckpointStore.BestWeightsFile);
        if (File.Exists(bestPath))
        {
            var current = CheckpointStore.Snapshot(_host.Modules());
            CheckpointStore.LoadWeights(bestPath, _host.Modules());
            _selector.Restore(CheckpointStore.Snapshot(_host.Modules()));
            CheckpointStore.Restore(_host.Modules(), current);
            CheckpointStore.Dispose(current);
        }

        _state = state;
        Log.Resumed(_host.Log, _host.Name, folder, state.PhaseIndex, state.EpochsDone);
    }

    /// <summary>Trains what is left of <paramref name="phases"/>, then puts back the best weights when selection kept any.</summary>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked before every step).</exception>
    public void Run(IReadOnlyList<TrainingPhase> phases, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        for (int p = _state.PhaseIndex; p < phases.Count && !_state.Completed; p++)
        {
            if (p != _state.PhaseIndex)
            {
                _state = _state with { PhaseIndex = p, EpochsDone = 0 };
            }

            RunPhase(phases, p, progress, cancellationToken);
        }

        if (_selector.Best is { } best)
        {
            CheckpointStore.Restore(_host.Modules(), best);
            Log.BestRestored(_host.Log, _host.Name, _state.BestEpoch, _state.BestScore ?? double.NaN);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _selector.Dispose();

    private void RunPhase(IReadOnlyList<TrainingPhase> phases, int phaseIndex, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var phase = phases[phaseIndex];
        bool last = phaseIndex == phases.Count - 1;
        int stepsPerEpoch = phase.Steps(_train.PatientCount);
        long totalSteps = (long)stepsPerEpoch * phase.Epochs;
        _host.OnPhaseStart(phase, _train);
        var watch = Stopwatch.StartNew();
        for (int epoch = _state.EpochsDone + 1; epoch <= phase.Epochs; epoch++)
        {
            long epochSeed = SeedScope.Derive(_seed, phaseIndex + 1, epoch);
            SeedScope.SetGlobal(epochSeed);
            using var rng = new Generator((ulong)epochSeed, _host.Device);
            var batches = new EpochBatches(_train.PatientCount, epochSeed, phase.DropLast);
            var window = new LossAverager();
            var whole = new LossAverager();
            for (int s = 1; s <= stepsPerEpoch; s++)
            {
                ct.ThrowIfCancellationRequested();
                long step = ((long)(epoch - 1) * stepsPerEpoch) + s;
                StepResult result;
                using (var scope = NewDisposeScope())
                {
                    result = phase.Step(new StepContext(_train, phase, epoch, step, totalSteps, rng, _host.Device, batches));
                }

                CheckFinite(phase, epoch, step, result);
                window.Add(result, phase.BatchSize);
                whole.Add(result, phase.BatchSize);
                (Processed, Unit) = (Processed + (result.Processed ?? phase.BatchSize), result.Unit);
                if (s % _options.ReportEvery == 0 && s < stepsPerEpoch)
                {
                    progress?.Report(window.Progress(phase, epoch, step, totalSteps, watch.Elapsed, score: null, epochEnd: false));
                    window = new LossAverager();
                }
            }

            double? score = null;
            if (last && _validation is not null && _options.Selection != ModelSelection.None)
            {
                score = Score();
                _state = _selector.Record(_state, epoch, score.Value, () => CheckpointStore.Snapshot(_host.Modules()));
            }

            bool stopEarly = _options.EarlyStoppingPatience is { } patience && _state.EpochsWithoutImprovement >= patience;
            _state = _state with { PhaseIndex = phaseIndex, EpochsDone = epoch, Completed = last && (epoch == phase.Epochs || stopEarly) };
            if (_options.CheckpointDirectory is { } dir && (epoch % _options.CheckpointEvery == 0 || epoch == phase.Epochs || stopEarly))
            {
                _host.WriteCheckpoint(dir, _state, _selector.Best, _train.Vocabulary);
                Log.CheckpointSaved(_host.Log, _host.Name, dir, _state.PhaseIndex, _state.EpochsDone);
            }

            Log.EpochFinished(_host.Log, _host.Name, phase.Name.Value, epoch, phase.Epochs, whole.Format(), score ?? double.NaN, watch.Elapsed.TotalSeconds);
            progress?.Report(window.Progress(phase, epoch, (long)epoch * stepsPerEpoch, totalSteps, watch.Elapsed, score, epochEnd: true));
            if (stopEarly)
            {
                Log.EarlyStopped(_host.Log, _host.Name, epoch, _state.BestEpoch);
                break;
            }
        }

        if (last)
        {
            _state = _state with { Completed = true };
        }
    }

    private double Score()
    {
        using var rng = new Generator((ulong)SeedScope.Derive(_seed, -1), _host.Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _selector.Score(_validation!, () => _host.ValidationLoss(_validation!, rng), n => _host.Sample(n, rng));
    }

    /// <summary>Stops the fit when a loss (not a diagnostic) is NaN or infinite, naming the last good checkpoint.</summary>
    private void CheckFinite(TrainingPhase phase, int epoch, long step, StepResult result)
    {
        foreach (var (key, value) in result.Losses)
        {
            if (double.IsFinite(value))
            {
                continue;
            }

            string? lastGood = _options.CheckpointDirectory is { } dir && File.Exists(Path.Combine(dir, GeneratorManifest.FileName)) ? dir : null;
            string message = $"{_host.Name}: the {key} became {value} in phase '{phase.Name}', epoch {epoch}, step {step}. " +
                (lastGood is null ? "Set CheckpointDirectory to keep the last good state." : $"The last good checkpoint is in {lastGood}.") +
                " Try a lower learning rate.";
            Log.Diverged(_host.Log, _host.Name, phase.Name.Value, epoch, step, key);
            throw new TrainingDivergedException(message, phase.Name, epoch, step, lastGood);
        }
    }
}
