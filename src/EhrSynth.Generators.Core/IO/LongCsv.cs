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
        options ??= new LongCsvReadOptions();
        var report = new LoadReport(name);
        var fixedVocabulary = options.Vocabulary;
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var columnOrder = new List<string>();
        var patients = new Dictionary<string, int>(StringComparer.Ordinal);
        var patientLookup = patients.GetAlternateLookup<ReadOnlySpan<char>>();
        var ids = new List<string>();
        var codes = new List<List<int>>();
        var firstLine = new Dictionary<(int, int), long>();

        using (var csv = new CsvReader(text, name, cancellationToken))
        {
            if (!csv.Read())
            {
                throw new EhrDataFormatException("the file is empty (no header line)", name);
            }

            bool titled = csv.FieldCount == 3 && Is(csv[2], "title");
            if (!(csv.FieldCount is 2 or 3) || !Is(csv[0], "patient_id") || !Is(csv[1], "code") || (csv.FieldCount == 3 && !titled))
            {
                var found = string.Join(",", Enumerable.Range(0, csv.FieldCount).Select(i => csv[i].ToString()));
                throw csv.Error($"unknown header '{found}'; expected 'patient_id,code' or 'patient_id,code,title'");
            }

            int fieldCount = csv.FieldCount;
            while (csv.Read())
            {
                report.RowsRead++;
                if (csv.FieldCount != fieldCount)
                {
                    throw csv.Error($"expected {fieldCount} fields, found {csv.FieldCount}");
                }

                var pid = csv[0].Trim();
                if (pid.IsEmpty)
                {
                    throw csv.Error("patient_id is empty");
                }

                if (!patientLookup.TryGetValue(pid, out int p))
                {
                    p = ids.Count;
                    string id = pid.ToString();
                    patients.Add(id, p);
                    ids.Add(id);
                    codes.Add([]);
                }

                var codeText = csv[1].Trim();
                if (codeText.IsEmpty)
                {
                    if (options.EmptyPatients == EmptyPatientPolicy.Throw)
                    {
                        throw csv.Error("the code is empty (a patient with no codes; to accept it, keep or skip empty patients: EmptyPatients in the library, --empty-patients on the command line)", ids[p]);
                    }

                    continue;
                }

                string code = codeText.ToString();
                int c;
                if (fixedVocabulary is not null)
                {
                    if (!fixedVocabulary.TryGetIndex(code, out c))
                    {
                        throw csv.Error("the code is not in the vocabulary", ids[p], code);
                    }
                }
                else if (!columns.TryGetValue(code, out c))
                {
                    if (!CodeVocabulary.IsValidCode(code))
                    {
                        throw csv.Error($"not a valid code: {CodeVocabulary.CodeRule}", ids[p], TextSafety.Printable(code, 64));
                    }

                    c = columnOrder.Count;
                    columns.Add(code, c);
                    columnOrder.Add(code);
                }

                if (!firstLine.TryAdd((p, c), csv.LineNumber))
                {
                    throw csv.Error($"the patient has this code twice (first on line {firstLine[(p, c)]})", ids[p], code);
                }

                codes[p].Add(c);
            }
        }

        var rows = new List<(string, int[])>(ids.Count);
        for (int p = 0; p < ids.Count; p++)
        {
            if (codes[p].Count == 0)
            {
                if (options.EmptyPatients == EmptyPatientPolicy.Skip)
                {
                    report.Skip("patient with no codes");
                    continue;
                }

                report.EmptyPatientsKept++;
            }

            rows.Add((ids[p], codes[p].ToArray()));
        }

        EhrDataset dataset;
        if (fixedVocabulary is not null)
        {
            var builder = new EhrDatasetBuilder(fixedVocabulary);
            foreach (var (id, row) in rows)
            {
                builder.AddPatient(id, row);
            }

            dataset = builder.Build();
        }
        else
        {
            dataset = EhrDatasetAssembly.Build(rows, columnOrder, options.ColumnOrder);
        }

        report.Patients = dataset.PatientCount;
        report.Codes = dataset.CodeCount;
        report.StoredCodes = dataset.StoredCodeCount;
        return new EhrLoadResult(dataset, report);
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

    private static bool Is(ReadOnlySpan<char> field, string name) =>
        field.Trim().TrimStart('\uFEFF').Equals(name, StringComparison.OrdinalIgnoreCase);

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
