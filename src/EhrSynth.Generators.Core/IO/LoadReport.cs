using System.Globalization;
using System.Text;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>What a loader read, skipped and produced.</summary>
public sealed class LoadReport
{
    private readonly Dictionary<string, long> _skipped = new(StringComparer.Ordinal);
    private readonly List<string> _files = [];
    private readonly List<string> _notes = [];

    internal LoadReport(string source) => Source = source;

    /// <summary>The file or folder that was read.</summary>
    public string Source { get; }

    /// <summary>Data rows read (headers excluded), over all files.</summary>
    public long RowsRead { get; internal set; }

    /// <summary>Rows or values skipped, by reason.</summary>
    public IReadOnlyDictionary<string, long> Skipped => _skipped;

    /// <summary>Patients in the dataset.</summary>
    public int Patients { get; internal set; }

    /// <summary>Codes (columns) in the dataset.</summary>
    public int Codes { get; internal set; }

    /// <summary>Stored (patient, code) pairs.</summary>
    public int StoredCodes { get; internal set; }

    /// <summary>Patients kept with no codes (see <see cref="EmptyPatientPolicy.Keep"/>).</summary>
    public int EmptyPatientsKept { get; internal set; }

    /// <summary>What the codes are, as far as the loader knows (which titles and public code list apply).</summary>
    public CodeSystem CodeSystem { get; internal set; }

    /// <summary>The table files read, in order (for sources made of several tables).</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Remarks about how the source was read (for example that no admissions table was found).</summary>
    public IReadOnlyList<string> Notes => _notes;

    internal void Read(string file) => _files.Add(file);

    internal void Note(string note) => _notes.Add(note);

    internal void Skip(string reason, long count = 1)
    {
        _skipped.TryGetValue(reason, out long n);
        _skipped[reason] = n + count;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Source}: {RowsRead} rows read → {Patients} patients × {Codes} codes, {StoredCodes} stored");
        if (EmptyPatientsKept > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $", {EmptyPatientsKept} patient(s) with no codes kept");
        }

        foreach (var (reason, n) in _skipped)
        {
            sb.AppendLine().Append(CultureInfo.InvariantCulture, $"  skipped {n}: {reason}");
        }

        foreach (var note in _notes)
        {
            sb.AppendLine().Append("  note: ").Append(note);
        }

        return sb.ToString();
    }
}
