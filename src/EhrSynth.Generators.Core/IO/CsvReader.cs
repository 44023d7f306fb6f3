using System.Text;

namespace EhrSynth.Generators.IO;

/// <summary>
/// A small RFC 4180 reader: comma-separated, double-quoted fields (with <c>""</c> escapes and line breaks inside
/// quotes), CRLF or LF line ends. Fields are exposed as spans over a reused buffer, so reading allocates
/// little more than one string per line. Every error names the file and line. A line (or quoted record) longer than
/// <see cref="InputLimits.MaxLineLength"/> characters is refused, and a corrupt compressed stream is reported as bad
/// data of the file, so a hostile file cannot make the reader hold more than one bounded line.
/// </summary>
internal sealed class CsvReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly List<(int Start, int Length)> _fields = [];
    private readonly StringBuilder _quoted = new();
    private readonly StringBuilder _pending = new();
    private readonly char[] _buffer = new char[1 << 16];
    private readonly CancellationToken _cancellationToken;
    private int _bufferStart;
    private int _bufferEnd;
    private bool _pendingCarriageReturn;
    private string _line = "";
    private char[] _unquoted = [];
    private bool _usesQuotedBuffer;
    private long _nextLine = 1;
    private string _raw = "";
    private char _delimiter = ',';
    private bool _quotes = true;

    public CsvReader(TextReader reader, string fileName, CancellationToken cancellationToken = default)
    {
        _reader = reader;
        FileName = fileName;
        _cancellationToken = cancellationToken;
    }

    public string FileName { get; }

    /// <summary>1-based line on which the current record starts.</summary>
    public long LineNumber { get; private set; }

    public int FieldCount => _fields.Count;

    public ReadOnlySpan<char> this[int field]
    {
        get
        {
            var (start, length) = _fields[field];
            return _usesQuotedBuffer ? _unquoted.AsSpan(start, length) : _line.AsSpan(start, length);
        }
    }

    /// <summary>Reads the next non-blank record; false at end of file.</summary>
    public bool Read()
    {
        while (true)
        {
            string? line = ReadLine();
            if (line is null)
            {
                return false;
            }

            LineNumber = _nextLine++;
            if ((LineNumber & 0x1FFF) == 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();     // every 8,192 lines
            }

            if (line.Length == 0)
            {
                continue;
            }

            _raw = line;
            if (_quotes && line.Contains('"', StringComparison.Ordinal))
            {
                ParseQuoted(line);
            }
            else
            {
                ParseSimple(line);
            }

            return true;
        }
    }

    /// <summary>
    /// Switches to tab-separated fields with no quoting — the format of Athena's OMOP vocabulary files (<c>CONCEPT.csv</c>),
    /// whose names hold unescaped quotes — and splits the current record again.
    /// </summary>
    public void UseTabs()
    {
        (_delimiter, _quotes) = ('\t', false);
        ParseSimple(_raw);
    }

    public EhrDataFormatException Error(string reason, string? patientId = null, string? code = null) =>
        new(reason, FileName, LineNumber, patientId, code);

    /// <summary>Reads the header and returns the index of each wanted column (case-insensitive, trimmed).</summary>
    public int[] ReadHeader(IReadOnlyList<string> required, out string[] names)
    {
        if (!Read())
        {
            throw new EhrDataFormatException("the file is empty (no header line)", FileName);
        }

        names = new string[FieldCount];
        for (int i = 0; i < FieldCount; i++)
        {
            names[i] = this[i].Trim().TrimStart('\uFEFF').ToString();
        }

        var result = new int[required.Count];
        var missing = new List<string>();
        for (int r = 0; r < required.Count; r++)
        {
            result[r] = Array.FindIndex(names, n => n.Equals(required[r], StringComparison.OrdinalIgnoreCase));
            if (result[r] < 0)
            {
                missing.Add(required[r]);
            }
        }

        if (missing.Count > 0)
        {
            throw Error($"missing column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} in the header (found: {string.Join(", ", names)})");
        }

        return result;
    }

    /// <summary>Throws when the record has fewer than <paramref name="count"/> fields.</summary>
    public void RequireFields(int count)
    {
        if (FieldCount < count)
        {
            throw Error($"expected at least {count} fields, found {FieldCount}");
        }
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>The next line without its end (LF, CRLF or CR), at most <see cref="InputLimits.MaxLineLength"/> characters.</summary>
    private string? ReadLine()
    {
        _pending.Clear();
        while (true)
        {
            if (_bufferStart == _bufferEnd)
            {
                int read = Fill();
                if (read == 0)
                {
                    return _pending.Length > 0 ? _pending.ToString() : null;
                }
            }

            if (_pendingCarriageReturn)
            {
                _pendingCarriageReturn = false;
                if (_buffer[_bufferStart] == '\n')
                {
                    _bufferStart++;
                    continue;
                }
            }

            var span = _buffer.AsSpan(_bufferStart, _bufferEnd - _bufferStart);
            int end = span.IndexOfAny('\n', '\r');
            int take = end < 0 ? span.Length : end;
            if (_pending.Length + take > InputLimits.MaxLineLength)
            {
                throw new EhrDataFormatException(
                    $"line {_nextLine} is longer than {InputLimits.MaxLineLength:N0} characters; this is not a CSV file this library reads", FileName);
            }

            _pending.Append(span[..take]);
            _bufferStart += take;
            if (end >= 0)
            {
                _pendingCarriageReturn = _buffer[_bufferStart] == '\r';
                _bufferStart++;
                return _pending.ToString();
            }
        }
    }

    private int Fill()
    {
        try
        {
            _bufferStart = 0;
            _bufferEnd = _reader.Read(_buffer, 0, _buffer.Length);
            return _bufferEnd;
        }
        catch (InvalidDataException e)
        {
            throw new EhrDataFormatException($"the compressed data is corrupt ({e.Message})", FileName, innerException: e);
        }
    }

    private void ParseSimple(string line)
    {
        _line = line;
        _usesQuotedBuffer = false;
        _fields.Clear();
        int start = 0;
        while (true)
        {
            int comma = line.IndexOf(_delimiter, start);
            if (comma < 0)
            {
                _fields.Add((start, line.Length - start));
                return;
            }

            _fields.Add((start, comma - start));
            start = comma + 1;
        }
    }

    private void ParseQuoted(string line)
    {
        _usesQuotedBuffer = true;
        _fields.Clear();
        _quoted.Clear();
        int fieldStart = 0;
        bool inQuotes = false;
        bool fieldWasQuoted = false;
        int i = 0;
        while (true)
        {
            if (i == line.Length)
            {
                if (!inQuotes)
                {
                    break;
                }

                // A quoted field continues on the next line.
                string? next = ReadLine();
                if (next is null)
                {
                    throw Error("a quoted field is not closed before the end of the file");
                }

                if (_quoted.Length + next.Length > InputLimits.MaxLineLength)
                {
                    throw Error($"a quoted record is longer than {InputLimits.MaxLineLength:N0} characters");
                }

                _nextLine++;
                _quoted.Append('\n');
                line = next;
                i = 0;
                continue;
            }

            char c = line[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        _quoted.Append('"');
                        i += 2;
                        continue;
                    }

                    inQuotes = false;
                    i++;
                    if (i < line.Length && line[i] != ',')
                    {
                        throw Error($"unexpected character '{line[i]}' after a closing quote");
                    }

                    continue;
                }

                _quoted.Append(c);
                i++;
                continue;
            }

            if (c == ',')
            {
                _fields.Add((fieldStart, _quoted.Length - fieldStart));
                fieldStart = _quoted.Length;
                fieldWasQuoted = false;
                i++;
                continue;
            }

            if (c == '"')
            {
                if (_quoted.Length != fieldStart || fieldWasQuoted)
                {
                    throw Error("a double quote inside an unquoted field");
                }

                inQuotes = true;
                fieldWasQuoted = true;
                i++;
                continue;
            }

            _quoted.Append(c);
            i++;
        }

        _fields.Add((fieldStart, _quoted.Length - fieldStart));
        if (_unquoted.Length < _quoted.Length)
        {
            _unquoted = new char[Math.Max(_quoted.Length, _unquoted.Length * 2)];
        }

        _quoted.CopyTo(0, _unquoted, _quoted.Length);
    }
}
