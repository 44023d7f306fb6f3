using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Pipeline;

/// <summary>What the comparison runs on and with.</summary>
public sealed class PipelineOptions
{
    /// <summary>The families to train. The default value is the quickstart's (every family but DDPM).</summary>
    public IReadOnlyList<ModelFamily> Families { get; init; } = ModelFamilies.Quickstart;

    /// <summary>Overrides every family's (final-phase) epochs, for tiny runs. The default value is <see langword="null"/>.</summary>
    public int? Epochs { get; init; }

    /// <summary>The budget. The default value is <see cref="Budget.Quick"/>.</summary>
    public Budget Budget { get; init; } = Budget.Quick;

    /// <summary>Seed of the split, training, sampling and metrics. The default value is 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The data. The default value is <see langword="null"/>: the embedded UCI Diabetes 130-US.</summary>
    public EhrDataset? Data { get; init; }

    /// <summary>What to call the data in the report.</summary>
    public string DataName { get; init; } = "UCI Diabetes 130-US (embedded)";

    /// <summary>Share of patients used for training (the rest is the holdout). The default value is 0.8.</summary>
    public double TrainFraction { get; init; } = 0.8;

    /// <summary>Where the report goes. The default value is <c>ehrsynth-report</c> in the current folder.</summary>
    public string OutputFolder { get; init; } = "ehrsynth-report";

    /// <summary>The device. The default value is <see cref="ComputeDevice.Auto"/>.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;
}
