using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// An in-memory copy of a model's weights (every module of <c>Modules()</c>), taken with
/// <see cref="TorchGeneratorBase{TOptions}.SnapshotWeights"/> and put back with
/// <see cref="TorchGeneratorBase{TOptions}.RestoreWeights"/>: for a family that keeps its best weights by a criterion of
/// its own during a fit (EHRDiff v1's prevalence-correlation selection). It lives outside any dispose scope; dispose it.
/// </summary>
public sealed class WeightSnapshot : IDisposable
{
    internal WeightSnapshot(Dictionary<string, Tensor> tensors) => Tensors = tensors;

    internal Dictionary<string, Tensor> Tensors { get; }

    /// <summary>Frees the copied tensors.</summary>
    public void Dispose() => CheckpointStore.Dispose(Tensors);
}
