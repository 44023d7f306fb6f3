using System.IO.Compression;
using System.Text;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>
/// Reads the UCI "Diabetes 130-US Hospitals for Years 1999–2008" data (the zip as shipped, or the extracted
/// <c>diabetic_data.csv</c>) into one row per patient (<c>patient_nbr</c>): the union of <c>diag_1</c>,
/// <c>diag_2</c> and <c>diag_3</c> over the patient's encounters.
/// </summary>
/// <remarks>
/// <c>?</c> means missing. Codes are normalised with <see cref="Icd9Codes.NormalizeDotted"/> (decimal point
/// removed, numeric categories left-padded to 3 digits), then grouped. With the defaults the result is
/// 71,518 patients × 881 codes, 3.67 codes per patient.
/// </remarks>
public static class UciDiabetesLoader
{
    private static readonly string[] Columns = ["patient_nbr", "diag_1", "diag_2", "diag_3"];

    /// <summary>Loads from the UCI zip (any entry ending in <c>diabetic_data.csv</c>) or from the csv itself.</summary>
    /// <exception cref="FileNotFoundException">The file, or the csv inside the zip, is missing.</exception>
    /// <exception cref="EhrDataFormatException">The csv is malformed; the message names the file and line.</exception>
    public static EhrLoadResult Load(string path, UciLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"File not found: {path}", path);
        }

        if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var stream = DataFiles.OpenRead(path, cancellationToken);
            return LoadZip(stream, path, options, cancellationToken);
        }

        using var reader = DataFiles.OpenText(path, cancellationToken);
        return Load(reader, path, options, cancellationToken);
    }

    /// <summary>Loads from a zip archive stream.</summary>
    /// <exception cref="EhrDataFormatException">The stream is not a zip archive, has no <c>diabetic_data.csv</c>, or it is malformed.</exception>
    public static EhrLoadResult LoadZip(Stream zip, string name, UciLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new EhrDataFormatException($"not a readable zip archive ({e.Message})", name, innerException: e);
        }

        using var _ = archive;
        var entry = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("diabetic_data.csv", StringComparison.OrdinalIgnoreCase))
            ?? throw new EhrDataFormatException("the archive has no diabetic_data.csv entry", name);
        string entryName = $"{name}!{entry.FullName}";
        using var reader = new StreamReader(new BoundedReadStream(entry.Open(), InputLimits.MaxUncompressedBytes, entryName), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        return Load(reader, entryName, options, cancellationToken);
    }

    /// <summary>Loads from an open <c>diabetic_data.csv</c> text.</summary>
    /// <exception cref="EhrDataFormatException">The csv is malformed; the message names the file and line.</exception>
    public static EhrLoadResult Load(TextReader csvText, string name, UciLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csvText);
        options ??= new UciLoadOptions();
        var report = new LoadReport(name) { CodeSystem = CodeSystem.Icd9 };
        var patientIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var patientLookup = patientIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        var patientIds = new List<string>();
        var patientCodes = new List<List<int>>();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var columnOrder = new List<string>();
        var normalized = new Dictionary<string, int>(StringComparer.Ordinal);
        var normalizedLookup = normalized.GetAlternateLookup<ReadOnlySpan<char>>();

        using (var csv = new CsvReader(csvText, name, cancellationToken))
        {
            var col = csv.ReadHeader(Columns, out _);
            int need = col.Max() + 1;
            while (csv.Read())
            {
                report.RowsRead++;
                csv.RequireFields(need);
                var pid = csv[col[0]].Trim();
                if (pid.IsEmpty)
                {
                    throw csv.Error("patient_nbr is empty");
                }

                if (!patientLookup.TryGetValue(pid, out int p))
                {
                    p = patientIds.Count;
                    string id = pid.ToString();
                    patientIndex.Add(id, p);
                    patientIds.Add(id);
                    patientCodes.Add([]);
                }

                for (int k = 1; k <= 3; k++)
                {
                    var raw = csv[col[k]].Trim();
                    if (raw.IsEmpty || raw is "?")
                    {
                        report.Skip("missing diagnosis ('?')");
                        continue;
                    }

                    if (!normalizedLookup.TryGetValue(raw, out int c))
                    {
                        string? code = Icd9Codes.NormalizeDotted(raw);
                        if (code is null)
                        {
                            throw csv.Error($"diag_{k} value '{raw}' is not an ICD-9 code", patientIds[p]);
                        }

                        code = Icd9Codes.Group(code, options.Grouping);
                        if (!columns.TryGetValue(code, out c))
                        {
                            c = columnOrder.Count;
                            columns.Add(code, c);
                            columnOrder.Add(code);
                        }

                        normalized.Add(raw.ToString(), c);
                    }

                    var codes = patientCodes[p];
                    if (!codes.Contains(c))
                    {
                        codes.Add(c);
                    }
                }
            }
        }

        var rows = new List<(string, int[])>(patientIds.Count);
        for (int p = 0; p < patientIds.Count; p++)
        {
            if (patientCodes[p].Count == 0)
            {
                switch (options.EmptyPatients)
                {
                    case EmptyPatientPolicy.Throw:
                        throw new EhrDataFormatException("every diagnosis of the patient is missing (to accept it, keep or skip empty patients: EmptyPatients in the library, --empty-patients on the command line)", name, patientId: patientIds[p]);
                    case EmptyPatientPolicy.Skip:
                        report.Skip("patient with no diagnosis codes");
                        continue;
                    default:
                        report.EmptyPatientsKept++;
                        break;
                }
            }

            rows.Add((patientIds[p], patientCodes[p].ToArray()));
        }

        var dataset = EhrDatasetAssembly.Build(rows, columnOrder, options.ColumnOrder);
        report.Patients = dataset.PatientCount;
        report.Codes = dataset.CodeCount;
        report.StoredCodes = dataset.StoredCodeCount;
        return new EhrLoadResult(dataset, report);
    }
}
