using System.Globalization;
using EhrSynth.Generators.Data;
using Parquet;
using Parquet.Schema;

namespace EhrSynth.Generators.IO;

/// <summary>
/// Writes the long format as Parquet to a stream, part by part (<see cref="Append"/>), in row groups of a bounded number
/// of rows: generating tens of millions of patients holds one row group in memory, not the file. Dispose writes the last
/// row group and the footer.
/// </summary>
public sealed class LongParquetWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly bool _titles;
    private readonly int _rowGroupRows;
    private readonly List<string> _ids = [];
    private readonly List<string?> _codes = [];
    private readonly List<string?> _titleValues = [];
    private bool _disposed;

    /// <summary>Starts a file on <paramref name="stream"/> (left open).</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="includeTitles">Add the <c>title</c> column.</param>
    /// <param name="rowGroupRows">Rows per row group. The default value is <see cref="LongParquet.DefaultRowGroupRows"/>.</param>
    public LongParquetWriter(Stream stream, bool includeTitles, int rowGroupRows = LongParquet.DefaultRowGroupRows)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        _stream = stream;
        _titles = includeTitles;
        _rowGroupRows = rowGroupRows;
        _fields = includeTitles
            ? [new DataField<string>("patient_id", false), new DataField<string>("code", true), new DataField<string>("title", true)]
            : [new DataField<string>("patient_id", false), new DataField<string>("code", true)];
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(_fields), stream, null, false, CancellationToken.None).ConfigureAwait(false).GetAwaiter().GetResult();
    }

    /// <summary>Rows written or buffered so far.</summary>
    public long Rows { get; private set; }

    /// <summary>
    /// Appends the patients of <paramref name="data"/>: one row per code, one row with a null code for a patient with none.
    /// With <paramref name="idOffset"/>, patients are named <c>syn-(offset + index)</c> instead of their own ids.
    /// </summary>
    public void Append(EhrDataset data, long? idOffset = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var titles = _titles ? Enumerable.Range(0, data.CodeCount).Select(data.Vocabulary.GetTitle).ToArray() : null;
        for (int p = 0; p < data.PatientCount; p++)
        {
            string id = idOffset is { } offset ? string.Create(CultureInfo.InvariantCulture, $"syn-{offset + p}") : data.GetPatientId(p);
            var row = data.GetCodes(p);
            if (row.IsEmpty)
            {
                Add(id, null, null);
                continue;
            }

            foreach (int c in row)
            {
                Add(id, data.Vocabulary[c], titles?[c]);
            }
        }
    }

    /// <summary>Writes the buffered rows and the footer.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Flush();
        _writer.DisposeAsync().AsTask().ConfigureAwait(false).GetAwaiter().GetResult();
        _stream.Flush();
    }

    private void Add(string id, string? code, string? title)
    {
        _ids.Add(id);
        _codes.Add(code);
        if (_titles)
        {
            _titleValues.Add(title);
        }

        Rows++;
        if (_ids.Count >= _rowGroupRows)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (_ids.Count == 0)
        {
            return;
        }

        using (var group = _writer.CreateRowGroup())
        {
            group.WriteAsync(_fields[0], _ids).ConfigureAwait(false).GetAwaiter().GetResult();
            group.WriteAsync(_fields[1], _codes!).ConfigureAwait(false).GetAwaiter().GetResult();
            if (_titles)
            {
                group.WriteAsync(_fields[2], _titleValues!).ConfigureAwait(false).GetAwaiter().GetResult();
            }
        }

        _ids.Clear();
        _codes.Clear();
        _titleValues.Clear();
    }
}
