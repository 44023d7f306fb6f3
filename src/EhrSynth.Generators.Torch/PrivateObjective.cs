using EhrSynth.Generators.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// What a family hands to DP-SGD (<c>TorchGeneratorBase.CreatePrivateObjective</c>): the training loss of one patient,
/// the parameters it trains, and the optimizer update that applies their gradients.
/// </summary>
/// <param name="Loss">One patient's loss: the training data, the patient's index in it and the step's generator → a scalar.</param>
/// <param name="Parameters">The parameters the loss trains (every one that sees the data).</param>
/// <param name="Update">Applies the gradients stored in the parameters (learning-rate schedule, optimizer step, EMA, …).</param>
public sealed record PrivateObjective(Func<EhrDataset, int, Generator, Tensor> Loss, IReadOnlyList<Parameter> Parameters, Action<StepContext> Update)
{
    /// <summary>
    /// Optional: the losses of a batch of patients at once, one per patient (<c>[B]</c>), for ghost clipping — the fast
    /// path taken when every trained parameter sits in a <c>Linear</c> layer of <see cref="Networks"/> that sees one
    /// <c>[B, in]</c> input per forward pass. Each entry must depend on its own patient only. The default value is
    /// <see langword="null"/>: microbatches of one patient.
    /// </summary>
    public Func<EhrDataset, int[], Generator, Tensor>? PatientLosses { get; init; }

    /// <summary>The networks <see cref="PatientLosses"/> runs (their Linear layers are hooked). The default value is <see langword="null"/>.</summary>
    public IReadOnlyList<nn.Module>? Networks { get; init; }

    /// <summary>
    /// Optional, for architectures the generic Linear-only path cannot see (a transformer: sequences, embeddings,
    /// LayerNorms): the batch in parts (chunks of patients, in any order), each part's per-patient losses <c>[b]</c>
    /// and squared gradient norms <c>[b]</c> over every parameter in <see cref="Parameters"/>, from the family's own ghost
    /// norms, with the losses' graph kept for the weighted backward. Parts are enumerated one at a time, each backward
    /// before the next part is computed, so memory is bounded by a part. <see langword="null"/> from the delegate when
    /// the batch cannot take the fast path. The default value is <see langword="null"/>.
    /// </summary>
    public Func<EhrDataset, int[], Generator, IEnumerable<(Tensor Losses, Tensor SquaredNorms)>?>? GhostNorms { get; init; }
}
