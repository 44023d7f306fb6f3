using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Extending.Tests;

/// <summary>Options of <see cref="ScriptedGenerator"/>.</summary>
public sealed class ScriptedOptions : TorchGeneratorOptions
{
    /// <summary>Epochs. The default value is 2.</summary>
    public int Epochs { get; set; } = 2;
}

/// <summary>
/// A model-less generator whose steps return what a test scripts (losses, diagnostics, tokens): for checking what the
/// training loop does with a step's result, through public API only.
/// </summary>
public sealed class ScriptedGenerator(ScriptedOptions options, Func<StepContext, StepResult> step) : TorchGeneratorBase<ScriptedOptions>(options, null)
{
    private Linear? _net;
    private Torch.Optimizers.Adam? _optimizer;

    /// <inheritdoc />
    public override string Name => "Scripted";

    /// <inheritdoc />
    protected override void BuildModel(int codeCount)
    {
        _net = nn.Linear(1, 1);
        _optimizer = new Torch.Optimizers.Adam(_net.parameters(), 1e-3);
    }

    /// <inheritdoc />
    protected override void ReleaseModel()
    {
        DisposeAll(_optimizer, _net);
        (_optimizer, _net) = (null, null);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<TrainingPhase> Phases(int trainingPatients) => [new(TrainingPhaseName.Train, Options.Epochs, 8, step)];

    /// <inheritdoc />
    protected override IEnumerable<(string Name, nn.Module Module)> Modules() => [("net", _net!)];

    /// <inheritdoc />
    protected override IEnumerable<(string Name, OptimizerHelper Optimizer)> Optimizers() => [("adam", _optimizer!)];

    /// <inheritdoc />
    protected override EhrDataset Sample(int count, Generator rng, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        EhrDataset.FromRecords([.. Enumerable.Range(0, count).Select(i => new PatientRecord($"s{i}", []))], ModelVocabulary);
}
