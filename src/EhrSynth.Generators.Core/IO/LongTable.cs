using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO.Tables;

namespace EhrSynth.Generators.IO;

/// <summary>
/// The long format read from any table (<see cref="LongCsv"/>, <see cref="LongParquet"/>): one row per (patient, code),
/// an empty code for a patient with no codes. Patients keep the order of their first row; a repeated (patient, code)
/// pair, a missing field or an empty patient id is an error naming the file and line (or row).
/// </summary>
internal static class LongTable
{
    /// <summary>Reads the rows of <paramref name="table"/>.</summary>
    /// <param name="table">The table, positioned after its header.</param>
    /// <param name="name">The source in the report.</param>
    /// <param name="options">Vocabulary, column order and empty patients.</param>
    /// <param name="strictHeader">
    /// Whether the header must be exactly <c>patient_id,code</c> or <c>patient_id,code,title</c> (CSV); otherwise other
    /// columns are ignored (Parquet written by Spark or DuckDB may carry more).
    /// </param>
    public static EhrLoadResult Read(TableReader table, string name, LongCsvReadOptions options, bool strictHeader)
    {
        var report = new LoadReport(name);
        report.Read(name);
        var header = table.Header;
        bool exact = header.Count is 2 or 3 && Is(header[0], "patient_id") && Is(header[1], "code") && (header.Count == 2 || Is(header[2], "title"));
        if (strictHeader && !exact)
        {
            throw table.Error($"unknown header '{string.Join(",", header)}'; expected 'patient_id,code' or 'patient_id,code,title'");
        }

        var col = table.Require("patient_id", "code");
        var fixedVocabulary = options.Vocabulary;
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var columnLookup = columns.GetAlternateLookup<ReadOnlySpan<char>>();
        var columnOrder = new List<string>();
        var patients = new Dictionary<string, int>(StringComparer.Ordinal);
        var patientLookup = patients.GetAlternateLookup<ReadOnlySpan<char>>();
        var ids = new List<string>();
        var codes = new List<List<int>>();
        var firstRow = new Dictionary<(int, int), long>();
        while (table.Read())
        {
            report.RowsRead++;
            if (strictHeader && table.FieldCount != header.Count)
            {
                throw table.Error($"expected {header.Count} fields, found {table.FieldCount}");
            }

            var pid = table[col[0]];
            if (pid.IsEmpty)
            {
                throw table.Error("patient_id is empty");
            }

            if (!patientLookup.TryGetValue(pid, out int p))
            {
                p = ids.Count;
                string id = pid.ToString();
                patients.Add(id, p);
                ids.Add(id);
                codes.Add([]);
            }

            var codeText = table[col[1]];
            if (codeText.IsEmpty)
            {
                if (options.EmptyPatients == EmptyPatientPolicy.Throw)
                {
                    throw table.Error("the code is empty (a patient with no codes; to accept it, keep or skip empty patients: EmptyPatients in the library, --empty-patients on the command line)", ids[p]);
                }

                continue;
            }

            int c;
            if (fixedVocabulary is not null)
            {
                string code = codeText.ToString();
                if (!fixedVocabulary.TryGetIndex(code, out c))
                {
                    throw table.Error("the code is not in the vocabulary", ids[p], code);
                }
            }
            else if (!columnLookup.TryGetValue(codeText, out c))
            {
                string code = codeText.ToString();
                if (!CodeVocabulary.IsValidCode(code))
                {
                    throw table.Error($"not a valid code: {CodeVocabulary.CodeRule}", ids[p], TextSafety.Printable(code, 64));
                }

                c = columnOrder.Count;
                columns.Add(code, c);
                columnOrder.Add(code);
            }

            if (!firstRow.TryAdd((p, c), table.Position))
            {
                string where = table is ParquetTableReader ? "row" : "line";
                throw table.Error($"the patient has this code twice (first on {where} {firstRow[(p, c)]})", ids[p], fixedVocabulary?[c] ?? columnOrder[c]);
            }

            codes[p].Add(c);
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
        report.CodeSystem = IcdCodes.DetectSystem(dataset.Vocabulary);
        return new EhrLoadResult(dataset, report);
    }

    private static bool Is(string field, string name) => field.Equals(name, StringComparison.OrdinalIgnoreCase);
}
