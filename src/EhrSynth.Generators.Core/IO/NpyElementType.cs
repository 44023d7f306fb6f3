namespace EhrSynth.Generators.IO;

/// <summary>Element types of NumPy <c>.npy</c> matrices this library reads and writes.</summary>
public enum NpyElementType
{
    /// <summary><c>|b1</c> (numpy bool).</summary>
    Bool,

    /// <summary><c>|u1</c> (numpy uint8).</summary>
    UInt8,

    /// <summary><c>&lt;f4</c> (numpy float32, little-endian).</summary>
    Float32,

    /// <summary><c>&lt;f8</c> (numpy float64, little-endian).</summary>
    Float64,
}
