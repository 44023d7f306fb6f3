namespace EhrSynth.Generators.Torch;

/// <summary>One tensor of a checked safetensors header.</summary>
/// <param name="Name">The tensor's key.</param>
/// <param name="DType">Its dtype (F32, F16, …).</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Elements">The product of the shape.</param>
/// <param name="Begin">First byte of its data, relative to the data section.</param>
/// <param name="End">One past its last byte.</param>
internal sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Elements, long Begin, long End);

/// <summary>A checked safetensors header.</summary>
/// <param name="Path">The file.</param>
/// <param name="DataStart">Where the data section starts in the file.</param>
/// <param name="Entries">The tensors, by key.</param>
internal sealed record SafetensorsHeader(string Path, long DataStart, IReadOnlyDictionary<string, SafetensorsEntry> Entries)
{
    /// <summary>Values of every tensor together.</summary>
    public long TotalElements => Entries.Values.Sum(e => e.Elements);
}
