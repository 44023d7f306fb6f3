using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// Held-out model selection and early stopping: scores each final-phase epoch (lower is better), keeps a snapshot of the
/// best weights, and counts epochs without improvement.
/// </summary>
internal sealed class ModelSelector : IDisposable
{
    private readonly TorchGeneratorOptions _options;

    public ModelSelector(TorchGeneratorOptions options) => _options = options;

    /// <summary>The best weights so far, or <see langword="null"/>.</summary>
    public Dictionary<string, Tensor>? Best { get; private set; }

    /// <summary>A score where lower is better: the validation loss, or the selection metric's value turned that way.</summary>
    public double Score(EhrDataset validation, Func<double> validationLoss, Func<int, EhrDataset> sample)
    {
        if (_options.Selection == ModelSelection.ValidationLoss)
        {
            return validationLoss();
        }

        var metric = _options.SelectionMetric!;
        var result = metric.Evaluate(validation, sample(validation.PatientCount).WithVocabulary(validation.Vocabulary));
        var value = _options.SelectionKey is { } key
            ? result.Find(key) ?? throw new InvalidOperationException($"{metric.Name} has no value '{key}' (it has: {string.Join(", ", result.Values.Select(v => v.Key))}).")
            : result.Headline;
        return value.Direction switch
        {
            MetricDirection.HigherIsBetter => -value.Value,
            MetricDirection.CloserToTargetIsBetter => Math.Abs(value.Value - (value.Target ?? 0)),
            _ => value.Value,
        };
    }

    /// <summary>Records an epoch's score; returns the updated state (best score and epoch, epochs without improvement).</summary>
    public TrainingState Record(TrainingState state, int epoch, double score, Func<Dictionary<string, Tensor>> snapshot)
    {
        if (state.BestScore is null || score < state.BestScore)
        {
            CheckpointStore.Dispose(Best);
            Best = snapshot();
            return state with { BestScore = score, BestEpoch = epoch, EpochsWithoutImprovement = 0 };
        }

        return state with { EpochsWithoutImprovement = state.EpochsWithoutImprovement + 1 };
    }

    /// <summary>Starts from a snapshot restored from a checkpoint.</summary>
    public void Restore(Dictionary<string, Tensor>? best)
    {
        CheckpointStore.Dispose(Best);
        Best = best;
    }

    public void Dispose()
    {
        CheckpointStore.Dispose(Best);
        Best = null;
    }
}
