namespace EhrSynth.Generators.Torch;

/// <summary>A checked safetensors header.</summary>
/// <param name="Path">The file.</param>
/// <param name="DataStart">Where the data section starts in the file.</param>
/// <param name="Entries">The tensors, by key.</param>
public sealed record SafetensorsHeader(string Path, long DataStart, IReadOnlyDictionary<string, SafetensorsEntry> Entries)
{
    /// <summary>Values of every tensor together.</summary>
    public long TotalElements => Entries.Values.Sum(e => e.Elements);
}
