namespace EhrSynth.Generators.IO;

/// <summary>
/// The sizes the readers accept from a file before they refuse it. Each bounds the memory a hostile or corrupt file
/// can make the library allocate; every real dataset and model fits far inside them (docs/reliability.md).
/// </summary>
public static class InputLimits
{
    /// <summary>Characters in one line of a CSV file: 1,048,576 (1 Mi). The longest line of MIMIC-III's tables is under 2,000.</summary>
    public const int MaxLineLength = 1 << 20;

    /// <summary>Uncompressed bytes read from one zip entry or gzip stream: 4 GiB. The UCI csv is 18 MB.</summary>
    public const long MaxUncompressedBytes = 4L << 30;

    /// <summary>Bytes of a .npy header: 1 MiB (NumPy writes about 128).</summary>
    public const int MaxNpyHeaderBytes = 1 << 20;

    /// <summary>Bytes of a safetensors JSON header: 100 MB (the reference implementation's own limit).</summary>
    public const int MaxSafetensorsHeaderBytes = 100_000_000;

    /// <summary>Bytes of a <c>generator.json</c>, <c>config.json</c> or tokenizer JSON file: 256 MiB.</summary>
    public const int MaxJsonBytes = 256 << 20;

    /// <summary>Codes in a vocabulary read from a file: 1,000,000 (ICD-10-CM has about 70,000).</summary>
    public const int MaxCodes = 1_000_000;

    /// <summary>Rows of one Parquet row group read at once (the reader holds one row group of the columns it needs).</summary>
    public const long MaxParquetRowGroupRows = 16L << 20;
}
