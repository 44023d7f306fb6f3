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
    public static EhrLoadResult Read(string path, LongCsvReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = DataFiles.OpenText(path);
        return Read(reader, path, options);
    }

    /// <summary>Reads long CSV text.</summary>
    /// <exception cref="EhrDataFormatException">The text is malformed; the message names the source and line.</exception>
    public static EhrLoadResult Read(TextReader text, string name, LongCsvReadOptions? options = null)
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

        using (var csv = new CsvReader(text, name))
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
                        throw csv.Error("the code is empty (a patient with no codes; set EmptyPatients to Keep or Skip to accept it)", ids[p]);
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
                        throw csv.Error("the code contains white space, a comma or a quote", ids[p], code);
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
    public static void Write(string path, EhrDataset data, bool includeTitles = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.WriteText(path, writer => Write(writer, data, includeTitles));
    }

    /// <summary>Writes a dataset as long CSV to a text writer.</summary>
    public static void Write(TextWriter writer, EhrDataset data, bool includeTitles = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(data);
        writer.Write(includeTitles ? "patient_id,code,title\n" : "patient_id,code\n");
        for (int p = 0; p < data.PatientCount; p++)
        {
            string id = Quote(data.GetPatientId(p));
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
                if (includeTitles)
                {
                    writer.Write(',');
                    writer.Write(Quote(data.Vocabulary.GetTitle(c) ?? ""));
                }

                writer.Write('\n');
            }
        }
    }

    private static bool Is(ReadOnlySpan<char> field, string name) =>
        field.Trim().TrimStart('\uFEFF').Equals(name, StringComparison.OrdinalIgnoreCase);

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
