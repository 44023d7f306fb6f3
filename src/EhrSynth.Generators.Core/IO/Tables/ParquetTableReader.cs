using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace EhrSynth.Generators.IO.Tables;

/// <summary>
/// A <see cref="TableReader"/> over a Parquet file (Parquet.Net): one row group at a time, and only the columns the
/// caller asked for, so memory holds one row group of those columns whatever the file's size. Flat columns of text,
/// integers, decimals, floating point, booleans, dates and timestamps are read; values are formatted invariantly
/// (dates <c>yyyy-MM-dd</c>, timestamps <c>yyyy-MM-dd HH:mm:ss</c>). Nested or binary columns are refused by name.
/// </summary>
internal sealed class ParquetTableReader : TableReader
{
    private readonly Stream _stream;
    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;
    private readonly string[] _header;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<int, ColumnValues> _columns = [];
    private int _group = -1;
    private long _groupRows;
    private long _row = -1;
    private long _rowsBefore;

    private ParquetTableReader(string fileName, Stream stream, ParquetReader reader, CancellationToken cancellationToken)
        : base(fileName)
    {
        _stream = stream;
        _reader = reader;
        _fields = reader.Schema.GetDataFields();
        _header = [.. _fields.Select(f => f.Name)];
        _cancellationToken = cancellationToken;
    }

    public override IReadOnlyList<string> Header => _header;

    public override long Position => _rowsBefore + _row + 1;

    public override ReadOnlySpan<char> this[int column] =>
        _columns.TryGetValue(column, out var values) ? values.Get(_row) : throw new InvalidOperationException($"Column {column} was not asked for before reading.");

    /// <summary>Opens a Parquet file and reads its footer.</summary>
    public static ParquetTableReader OpenFile(string path, CancellationToken cancellationToken)
    {
        var stream = DataFiles.OpenRead(path, cancellationToken);
        try
        {
            var reader = Wait(ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken));
            return new ParquetTableReader(path, stream, reader, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not EhrDataFormatException)
        {
            stream.Dispose();
            throw new EhrDataFormatException($"not a readable Parquet file ({e.Message})", path, innerException: e);
        }
    }

    public override bool Read()
    {
        if (_group >= _reader.RowGroupCount)
        {
            return false;
        }

        _row++;
        while (_row >= _groupRows)
        {
            _rowsBefore += _groupRows;
            (_groupRows, _row) = (0, 0);
            if (++_group >= _reader.RowGroupCount)
            {
                return false;
            }

            LoadGroup();
        }

        return true;
    }

    public override EhrDataFormatException Error(string reason, string? patientId = null, string? code = null) =>
        new($"row {Position.ToString(CultureInfo.InvariantCulture)}: {reason}", FileName, patientId: patientId, code: code);

    public override void Dispose()
    {
        _reader.DisposeAsync().AsTask().ConfigureAwait(false).GetAwaiter().GetResult();
        _stream.Dispose();
    }

    private void LoadGroup()
    {
        _cancellationToken.ThrowIfCancellationRequested();
        using var group = _reader.OpenRowGroupReader(_group);
        if (group.RowCount > InputLimits.MaxParquetRowGroupRows)
        {
            throw new EhrDataFormatException(
                string.Create(CultureInfo.InvariantCulture, $"row group {_group} holds {group.RowCount:N0} rows, more than the {InputLimits.MaxParquetRowGroupRows:N0} read at once; write the file with smaller row groups"), FileName);
        }

        int rows = (int)group.RowCount;
        foreach (int c in UsedColumns)
        {
            var field = _fields[c];
            if (field.IsArray)
            {
                throw new EhrDataFormatException($"column '{TextSafety.Printable(field.Name, 64)}' is a list; a flat column was expected", FileName);
            }

            try
            {
                var values = _columns.TryGetValue(c, out var existing) ? existing : _columns[c] = ColumnValues.For(field, FileName);
                values.Load(group, field, rows, _cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException and not EhrDataFormatException)
            {
                throw new EhrDataFormatException($"column '{TextSafety.Printable(field.Name, 64)}' of row group {_group} cannot be read ({e.Message})", FileName, innerException: e);
            }
        }

        _groupRows = rows;
    }

    private static T Wait<T>(Task<T> task) => task.ConfigureAwait(false).GetAwaiter().GetResult();

    /// <summary>The values of one column in the current row group, and how each is shown as text.</summary>
    private abstract class ColumnValues
    {
        public abstract ReadOnlySpan<char> Get(long row);

        public abstract void Load(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct);

        public static ColumnValues For(DataField field, string file)
        {
            var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
            return type switch
            {
                _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => new TextValues(),
                _ when type == typeof(long) => new Values<long>(null),
                _ when type == typeof(int) => new Values<int>(null),
                _ when type == typeof(short) => new Values<short>(null),
                _ when type == typeof(sbyte) => new Values<sbyte>(null),
                _ when type == typeof(byte) => new Values<byte>(null),
                _ when type == typeof(ushort) => new Values<ushort>(null),
                _ when type == typeof(uint) => new Values<uint>(null),
                _ when type == typeof(ulong) => new Values<ulong>(null),
                _ when type == typeof(double) => new Values<double>("R"),
                _ when type == typeof(float) => new Values<float>("R"),
                _ when type == typeof(decimal) => new Values<decimal>(null),
                _ when type == typeof(bool) => new BoolValues(),
                _ when type == typeof(DateTime) => new Values<DateTime>("yyyy-MM-dd HH:mm:ss"),
                _ when type == typeof(DateTimeOffset) => new Values<DateTimeOffset>("yyyy-MM-dd HH:mm:ss"),
                _ when type == typeof(DateOnly) => new Values<DateOnly>("yyyy-MM-dd"),
                _ when type == typeof(TimeSpan) => new Values<TimeSpan>("c"),
                _ => throw new EhrDataFormatException($"column '{TextSafety.Printable(field.Name, 64)}' holds {type.Name} values, which this reader does not read as text", file),
            };
        }
    }

    private sealed class TextValues : ColumnValues
    {
        private string?[] _values = [];

        public override ReadOnlySpan<char> Get(long row) => _values[row].AsSpan().Trim();

        public override void Load(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        {
            if (_values.Length < rows)
            {
                _values = new string?[rows];
            }

            Array.Clear(_values);
            group.ReadAsync(field, _values.AsMemory(0, rows), null, ct).ConfigureAwait(false).GetAwaiter().GetResult();
        }
    }

    private sealed class BoolValues : ColumnValues
    {
        private bool?[] _values = [];

        public override ReadOnlySpan<char> Get(long row) => _values[row] switch { true => "true", false => "false", null => [] };

        public override void Load(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        {
            if (_values.Length < rows)
            {
                _values = new bool?[rows];
            }

            group.ReadAsync<bool>(field, _values.AsMemory(0, rows), null, ct).ConfigureAwait(false).GetAwaiter().GetResult();
        }
    }

    private sealed class Values<T>(string? format) : ColumnValues
        where T : struct, ISpanFormattable
    {
        private readonly char[] _text = new char[64];
        private T?[] _values = [];

        public override ReadOnlySpan<char> Get(long row)
        {
            if (_values[row] is not { } value)
            {
                return [];
            }

            return value.TryFormat(_text, out int written, format, CultureInfo.InvariantCulture) ? _text.AsSpan(0, written) : value.ToString(format, CultureInfo.InvariantCulture).AsSpan();
        }

        public override void Load(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        {
            if (_values.Length < rows)
            {
                _values = new T?[rows];
            }

            group.ReadAsync<T>(field, _values.AsMemory(0, rows), null, ct).ConfigureAwait(false).GetAwaiter().GetResult();
        }
    }
}
