using EhrSynth.Generators.Data;
using TorchSharp;

namespace EhrSynth.Generators.Torch;

/// <summary>What a training step gets: the data, where it is in the run, its random source, and batches.</summary>
public sealed class StepContext
{
    private readonly EpochBatches _batches;

    internal StepContext(EhrDataset data, TrainingPhase phase, int epoch, long step, long totalSteps, torch.Generator rng, torch.Device device, EpochBatches batches)
    {
        Data = data;
        Phase = phase;
        Epoch = epoch;
        Step = step;
        TotalSteps = totalSteps;
        Rng = rng;
        Device = device;
        _batches = batches;
    }

    /// <summary>The training patients.</summary>
    public EhrDataset Data { get; }

    /// <summary>The phase being trained.</summary>
    public TrainingPhase Phase { get; }

    /// <summary>1-based epoch within the phase.</summary>
    public int Epoch { get; }

    /// <summary>1-based step within the phase (counting all epochs).</summary>
    public long Step { get; }

    /// <summary>Steps planned for the phase.</summary>
    public long TotalSteps { get; }

    /// <summary>This epoch's generator for noise; seeded from (seed, phase, epoch), so a resumed run draws the same.</summary>
    public torch.Generator Rng { get; }

    /// <summary>The device of the run.</summary>
    public torch.Device Device { get; }

    /// <summary>The next batch of patient indices from this epoch's shuffled order (a fresh order when it runs out).</summary>
    public int[] NextBatch(int? size = null) => _batches.Next(size ?? Phase.BatchSize);

    /// <summary>The next batch as a dense <c>[batch, codes]</c> 0/1 tensor on the device.</summary>
    public torch.Tensor NextDenseBatch(int? size = null) => DenseBatch.Build(Data, NextBatch(size), Device);
}
