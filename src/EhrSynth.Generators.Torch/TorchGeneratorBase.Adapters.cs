using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using Microsoft.Extensions.Logging;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// What the template shows to its collaborators: the hooks a <see cref="TrainingRun"/> calls (<see cref="ITrainingHost"/>)
/// and the build diagnostics the library's own tests measure (<see cref="ITorchDiagnostics"/>).
/// </summary>
public abstract partial class TorchGeneratorBase<TOptions>
{
    string ITrainingHost.Name => Name;

    TorchGeneratorOptions ITrainingHost.Settings => Options;

    ILogger ITrainingHost.Log => Logger;

    Device ITrainingHost.Device => Device;

    IEnumerable<(string Name, nn.Module Module)> ITrainingHost.Modules() => Modules();

    IEnumerable<(string Name, OptimizerHelper Optimizer)> ITrainingHost.Optimizers() => Optimizers();

    void ITrainingHost.OnPhaseStart(TrainingPhase phase, EhrDataset data) => OnPhaseStart(phase, data);

    double ITrainingHost.ValidationLoss(EhrDataset validation, Generator rng) => ValidationLoss(validation, rng);

    EhrDataset ITrainingHost.Sample(int count, Generator rng) => Sample(count, rng, null, CancellationToken.None);

    void ITrainingHost.OnLoaded(GeneratorManifest manifest) => OnLoaded(manifest);

    void ITrainingHost.WriteCheckpoint(string folder, TrainingState state, Dictionary<string, Tensor>? best, CodeVocabulary vocabulary) =>
        TrainingCheckpoint.Write(folder, state, best, SaveCore, extra => CreateManifest(vocabulary, extra));

    /// <inheritdoc />
    long ITorchDiagnostics.MeasureModelBuildResidue(int codeCount)
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
    (long? Predicted, long Actual) ITorchDiagnostics.MeasureStateSize(int codeCount)
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
    void ITorchDiagnostics.BuildForInspection(EhrDataset data)
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

    private void RequireUnbuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("Measure on an unfitted generator.");
        }
    }
}
