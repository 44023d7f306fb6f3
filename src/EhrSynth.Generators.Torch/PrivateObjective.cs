using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// What a family hands to DP-SGD (<c>TorchGeneratorBase.CreatePrivateObjective</c>): the training loss of
/// one patient, the parameters it trains, and the optimizer update that applies their gradients.
/// </summary>
/// <param name="Loss">One patient's loss: a <c>[1, codes]</c> 0/1 row and the step's generator → a scalar.</param>
/// <param name="Parameters">The parameters the loss trains (every one that sees the data).</param>
/// <param name="Update">Applies the gradients stored in the parameters (for example Adam's step).</param>
public sealed record PrivateObjective(Func<Tensor, Generator, Tensor> Loss, IReadOnlyList<Parameter> Parameters, Action Update);
