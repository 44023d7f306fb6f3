using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO.Tables;

namespace EhrSynth.Generators.IO;

/// <summary>
/// The long format as Parquet, for Spark, Databricks and DuckDB: columns <c>patient_id</c>, <c>code</c> (null for a
/// patient with no codes) and optionally <c>title</c>, all UTF-8 strings, written in row groups of at most
/// <see cref="DefaultRowGroupRows"/> rows and read one row group at a time, so memory does not grow with the file.
/// </summary>
/// <remarks>
/// Reading follows <see cref="LongCsv"/>'s rules (patients in first-row order, a repeated pair is an error naming the
/// row), except that other columns are ignored and <c>patient_id</c> may be an integer column.
/// </remarks>
public static class LongParquet
{
    /// <summary>Rows per row group written. The default value is 1,048,576.</summary>
    public const int DefaultRowGroupRows = 1 << 20;

    /// <summary>Reads a long-format Parquet file.</summary>
    /// <exception cref="EhrDataFormatException">The file is not Parquet, lacks a column, or a row is malformed; the message names the file and row.</exception>
    public static EhrLoadResult Read(string path, LongCsvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var table = ParquetTableReader.OpenFile(path, cancellationToken);
        return LongTable.Read(table, path, options ?? new LongCsvReadOptions(), strictHeader: false);
    }

    /// <summary>Writes a dataset as long-format Parquet, atomically (temporary file, then rename).</summary>
    /// <param name="path">The file.</param>
    /// <param name="data">The data.</param>
    /// <param name="includeTitles">Add the title column (each code's title from the vocabulary, null when it has none).</param>
    /// <param name="overwrite">Replace an existing file. The default value is <see langword="false"/>.</param>
    /// <exception cref="OutputConflictException">The path is a folder, or an existing file without <paramref name="overwrite"/>.</exception>
    public static void Write(string path, EhrDataset data, bool includeTitles = false, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new LongParquetWriter(stream, includeTitles);
            writer.Append(data);
        }, overwrite);
    }
}
