using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using Microsoft.Extensions.Logging;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>What a <see cref="TrainingRun"/> needs of the generator it trains: its hooks and settings, nothing more.</summary>
internal interface ITrainingHost
{
    string Name { get; }

    TorchGeneratorOptions Settings { get; }

    ILogger Log { get; }

    Device Device { get; }

    IEnumerable<(string Name, nn.Module Module)> Modules();

    IEnumerable<(string Name, OptimizerHelper Optimizer)> Optimizers();

    void OnPhaseStart(TrainingPhase phase, EhrDataset data);

    double ValidationLoss(EhrDataset validation, Generator rng);

    EhrDataset Sample(int count, Generator rng);

    void OnLoaded(GeneratorManifest manifest);

    /// <summary>Writes a checkpoint folder: the model as <c>Save</c> writes it, plus <paramref name="state"/> and the best weights.</summary>
    void WriteCheckpoint(string folder, TrainingState state, Dictionary<string, Tensor>? best, CodeVocabulary vocabulary);
}
