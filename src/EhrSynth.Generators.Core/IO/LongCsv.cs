using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>
/// The readable exchange format: one line per (patient, code), with the header <c>patient_id,code</c> or
/// <c>patient_id,code,title</c>. A patient with no codes is written as one line with an empty code.
/// </summary>
/// <remarks>
/// Lines of one patient need not be adjacent; patients keep the order of their first line. A repeated
/// (patient, code) pair, an unknown header, a missing field or an empty patient id is an error that names
/// the file and line. The title column is ignored on reading.
/// </remarks>
public static class LongCsv
{
    /// <summary>Reads a long CSV file (<c>.csv</c> or <c>.csv.gz</c>).</summary>
    /// <exception cref="EhrDataFormatException">The file is malformed; the message names the file and line.</exception>
    public static EhrLoadResult Read(string path, LongCsvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = DataFiles.OpenText(path, cancellationToken);
        return Read(reader, path, options, cancellationToken);
    }

    /// <summary>Reads long CSV text.</summary>
    /// <exception cref="EhrDataFormatException">The text is malformed; the message names the source and line.</exception>
    public static EhrLoadResult Read(TextReader text, string name, LongCsvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var table = new Tables.CsvTableReader(text, name, cancellationToken);
        return LongTable.Read(table, name, options ?? new LongCsvReadOptions(), strictHeader: true);
    }

    /// <summary>
    /// Writes a dataset as long CSV, atomically (temp file, then rename). With <paramref name="includeTitles"/>,
    /// a third column holds each code's title from the dataset's vocabulary (empty when it has none).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="data">The data.</param>
    /// <param name="includeTitles">Add the title column.</param>
    /// <param name="overwrite">Replace an existing file. The default value is <see langword="false"/>.</param>
    /// <exception cref="OutputConflictException">The path is a folder, or an existing file without <paramref name="overwrite"/>.</exception>
    public static void Write(string path, EhrDataset data, bool includeTitles = false, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.WriteText(path, writer => Write(writer, data, includeTitles), overwrite);
    }

    /// <summary>
    /// Writes a dataset as long CSV to a text writer. Text that a spreadsheet would run as a formula (a patient id or
    /// title starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) is prefixed with an apostrophe,
    /// and control characters in titles become spaces.
    /// </summary>
    public static void Write(TextWriter writer, EhrDataset data, bool includeTitles = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(data);
        writer.Write(includeTitles ? "patient_id,code,title\n" : "patient_id,code\n");
        WriteRows(writer, data, includeTitles, idOffset: null);
    }

    /// <summary>
    /// Writes the rows of <paramref name="data"/> without a header (for writing a large dataset in parts). With
    /// <paramref name="idOffset"/>, patients are named <c>syn-(offset + index)</c> instead of their own ids.
    /// </summary>
    public static void WriteRows(TextWriter writer, EhrDataset data, bool includeTitles, long? idOffset)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(data);
        var titles = includeTitles ? Enumerable.Range(0, data.CodeCount).Select(c => Quote(Neutralize(data.Vocabulary.GetTitle(c) ?? ""))).ToArray() : null;
        for (int p = 0; p < data.PatientCount; p++)
        {
            string id = idOffset is { } offset
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"syn-{offset + p}")
                : Quote(Neutralize(data.GetPatientId(p)));
            var row = data.GetCodes(p);
            if (row.IsEmpty)
            {
                writer.Write(id);
                writer.Write(includeTitles ? ",,\n" : ",\n");
                continue;
            }

            foreach (int c in row)
            {
                writer.Write(id);
                writer.Write(',');
                writer.Write(data.Vocabulary[c]);
                if (titles is not null)
                {
                    writer.Write(',');
                    writer.Write(titles[c]);
                }

                writer.Write('\n');
            }
        }
    }

    /// <summary>Makes text safe for a spreadsheet cell: no leading formula character, no control characters.</summary>
    internal static string Neutralize(string value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        if (value.AsSpan().ContainsAnyInRange('\0', '\u001f') || value.Contains('\u007f', StringComparison.Ordinal))
        {
            value = string.Create(value.Length, value, (span, v) =>
            {
                for (int i = 0; i < v.Length; i++)
                {
                    span[i] = char.IsControl(v[i]) ? ' ' : v[i];
                }
            });
        }

        return value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' || (value.TrimStart().Length > 0 && value.TrimStart()[0] is '=' or '+' or '@')
            ? "'" + value
            : value;
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
