namespace EhrSynth.Generators.Torch;

/// <summary>One tensor of a checked safetensors header.</summary>
/// <param name="Name">The tensor's key.</param>
/// <param name="DType">Its dtype (F32, F16, …).</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Elements">The product of the shape.</param>
/// <param name="Begin">First byte of its data, relative to the data section.</param>
/// <param name="End">One past its last byte.</param>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Elements, long Begin, long End);
