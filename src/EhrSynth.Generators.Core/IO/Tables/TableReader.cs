namespace EhrSynth.Generators.IO.Tables;

/// <summary>
/// Rows of a table file read one at a time, whatever its format: CSV (<c>.csv</c>, <c>.csv.gz</c>, comma or tab
/// separated) or Parquet (row group by row group). Columns are found by name, ignoring case; a value is a span valid
/// until the next read, empty for a missing or null value. Errors name the file and the line (CSV) or row (Parquet).
/// </summary>
internal abstract class TableReader : IDisposable
{
    private readonly HashSet<int> _used = [];

    protected TableReader(string fileName) => FileName = fileName;

    /// <summary>The file, as named in errors.</summary>
    public string FileName { get; }

    /// <summary>The column names of the header, in file order.</summary>
    public abstract IReadOnlyList<string> Header { get; }

    /// <summary>The fields of the current record (a CSV line may have more or fewer than the header).</summary>
    public virtual int FieldCount => Header.Count;

    /// <summary>The 1-based line (CSV) or row (Parquet) of the current record.</summary>
    public abstract long Position { get; }

    /// <summary>The columns any <see cref="Find"/> or <see cref="Require"/> asked for (a Parquet reader reads only these).</summary>
    protected IReadOnlyCollection<int> UsedColumns => _used;

    /// <summary>The value of a column in the current record (trimmed; empty for a null).</summary>
    public abstract ReadOnlySpan<char> this[int column] { get; }

    /// <summary>Moves to the next record; <see langword="false"/> at the end.</summary>
    public abstract bool Read();

    /// <summary>An error at the current record, naming the file and the line or row.</summary>
    public abstract EhrDataFormatException Error(string reason, string? patientId = null, string? code = null);

    /// <summary>The index of a column (case-insensitive), or −1 when the table has none.</summary>
    public int Find(string name)
    {
        int index = -1;
        for (int i = 0; i < Header.Count; i++)
        {
            if (Header[i].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                index = i;
                break;
            }
        }

        if (index >= 0)
        {
            _used.Add(index);
        }

        return index;
    }

    /// <summary>The index of each column; one error lists every missing column and the header found.</summary>
    public int[] Require(params string[] names)
    {
        var result = names.Select(Find).ToArray();
        var missing = names.Where((_, i) => result[i] < 0).ToList();
        if (missing.Count > 0)
        {
            throw new EhrDataFormatException(
                $"missing column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} (found: {string.Join(", ", Header.Select(h => TextSafety.Printable(h, 64)))})", FileName);
        }

        return result;
    }

    /// <summary>The value of a required text column, or an error naming it when it is empty.</summary>
    public string RequireText(int column)
    {
        var value = this[column];
        return value.IsEmpty ? throw Error($"{Header[column]} is empty") : value.ToString();
    }

    /// <summary>Opens a table by its extension: <c>.parquet</c>, else CSV (<c>.gz</c> decompressed).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="EhrDataFormatException">The file is not a table of its kind.</exception>
    public static TableReader Open(string path, CancellationToken cancellationToken = default) =>
        TableFiles.IsParquet(path)
            ? ParquetTableReader.OpenFile(path, cancellationToken)
            : new CsvTableReader(DataFiles.OpenText(path, cancellationToken), path, cancellationToken);

    public virtual void Dispose()
    {
    }
}
