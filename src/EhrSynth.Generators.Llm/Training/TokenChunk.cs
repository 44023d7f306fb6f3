using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Training;

/// <summary>Rows of one padded training chunk: inputs and next-token targets (−100 past the end), row-major.</summary>
/// <param name="Inputs">Input tokens, <c>Rows × Length</c>.</param>
/// <param name="Targets">Target tokens, −100 where ignored.</param>
/// <param name="Rows">Sentences in the chunk.</param>
/// <param name="Length">Positions per row.</param>
/// <param name="Tokens">Targets that count (not −100).</param>
internal sealed record TokenChunk(long[] Inputs, long[] Targets, int Rows, int Length, long Tokens)
{
    /// <summary>The chunk as <c>[Rows, Length]</c> input and target tensors on <paramref name="device"/>.</summary>
    public (Tensor Inputs, Tensor Targets) ToTensors(Device device) =>
        (tensor(Inputs, [Rows, Length], device: device), tensor(Targets, [Rows, Length], device: device));
}
