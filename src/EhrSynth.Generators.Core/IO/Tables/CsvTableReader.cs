namespace EhrSynth.Generators.IO.Tables;

/// <summary>
/// A <see cref="TableReader"/> over CSV text: comma-separated with RFC 4180 quoting, or — when the header holds tabs and
/// no comma — tab-separated without quoting (Athena's OMOP vocabulary files).
/// </summary>
internal sealed class CsvTableReader : TableReader
{
    private readonly CsvReader _csv;
    private readonly string[] _header;

    public CsvTableReader(TextReader text, string fileName, CancellationToken cancellationToken = default)
        : base(fileName)
    {
        _csv = new CsvReader(text, fileName, cancellationToken);
        if (!_csv.Read())
        {
            _csv.Dispose();
            throw new EhrDataFormatException("the file is empty (no header line)", fileName);
        }

        if (_csv.FieldCount == 1 && _csv[0].Contains('\t'))
        {
            _csv.UseTabs();
        }

        _header = new string[_csv.FieldCount];
        for (int i = 0; i < _header.Length; i++)
        {
            _header[i] = _csv[i].Trim().TrimStart('\uFEFF').Trim('"').ToString();
        }
    }

    public override IReadOnlyList<string> Header => _header;

    public override long Position => _csv.LineNumber;

    public override int FieldCount => _csv.FieldCount;

    public override ReadOnlySpan<char> this[int column] =>
        column < _csv.FieldCount ? _csv[column].Trim() : throw Error($"expected at least {column + 1} fields, found {_csv.FieldCount}");

    public override bool Read() => _csv.Read();

    public override EhrDataFormatException Error(string reason, string? patientId = null, string? code = null) =>
        _csv.Error(reason, patientId, code);

    public override void Dispose() => _csv.Dispose();
}
