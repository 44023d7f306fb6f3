using System.Globalization;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>
/// Reads MIMIC-III <c>ADMISSIONS</c> and <c>DIAGNOSES_ICD</c> tables into one row per patient: the union of
/// the patient's diagnosis codes over all admissions, exactly as medGAN's <c>process_mimic.py</c> builds its
/// 46,520 × 1,071 matrix.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Patients appear in the order of their first row in ADMISSIONS; each patient's admissions are taken in
/// ADMITTIME order, and codes within an admission in DIAGNOSES_ICD row order. With
/// <see cref="CodeOrder.FirstSeen"/>, a code's column is the first time it is met in that walk (medGAN).</item>
/// <item>Rows with an empty ICD9_CODE are skipped and counted (medGAN would create a code <c>D_</c>).</item>
/// <item>Diagnosis rows whose HADM_ID is not in ADMISSIONS are skipped and counted.</item>
/// <item>Files may be <c>.csv</c> or <c>.csv.gz</c>, with upper- or lower-case headers and quoted fields.</item>
/// </list>
/// </remarks>
public static class MimicIIILoader
{
    private static readonly string[] AdmissionColumns = ["subject_id", "hadm_id", "admittime"];
    private static readonly string[] DiagnosisColumns = ["hadm_id", "icd9_code"];

    /// <summary>Loads <c>ADMISSIONS.csv[.gz]</c> and <c>DIAGNOSES_ICD.csv[.gz]</c> from a folder.</summary>
    /// <exception cref="FileNotFoundException">A table is missing.</exception>
    /// <exception cref="EhrDataFormatException">A table is malformed; the message names the file and line.</exception>
    public static EhrLoadResult Load(string folder, MimicLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string admissions = DataFiles.FindTable(folder, "ADMISSIONS");
        string diagnoses = DataFiles.FindTable(folder, "DIAGNOSES_ICD");
        using var a = DataFiles.OpenText(admissions, cancellationToken);
        using var d = DataFiles.OpenText(diagnoses, cancellationToken);
        return Load(a, admissions, d, diagnoses, folder, options, cancellationToken);
    }

    /// <summary>Loads from two open text readers (for example embedded resources).</summary>
    /// <param name="admissions">The ADMISSIONS table.</param>
    /// <param name="admissionsName">Its name, used in errors.</param>
    /// <param name="diagnoses">The DIAGNOSES_ICD table.</param>
    /// <param name="diagnosesName">Its name, used in errors.</param>
    /// <param name="source">What to call the source in the report.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Checked every 8,192 lines.</param>
    /// <exception cref="EhrDataFormatException">A table is malformed; the message names the file and line.</exception>
    public static EhrLoadResult Load(TextReader admissions, string admissionsName, TextReader diagnoses, string diagnosesName, string source, MimicLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admissions);
        ArgumentNullException.ThrowIfNull(diagnoses);
        options ??= new MimicLoadOptions();
        var report = new LoadReport(source) { CodeSystem = CodeSystem.Icd9 };

        // 1. ADMISSIONS: hadm_id -> (patient, admit time); patients in first-seen order.
        var patientIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var patientIds = new List<string>();
        var admissionIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var admissionPatient = new List<int>();
        var admissionTime = new List<DateTime>();
        using (var csv = new CsvReader(admissions, admissionsName, cancellationToken))
        {
            var col = csv.ReadHeader(AdmissionColumns, out _);
            int need = col.Max() + 1;
            while (csv.Read())
            {
                report.RowsRead++;
                csv.RequireFields(need);
                string subject = RequireText(csv, col[0], "SUBJECT_ID");
                string hadm = RequireText(csv, col[1], "HADM_ID");
                var timeText = csv[col[2]].Trim();
                if (!TryParseTime(timeText, out var time))
                {
                    throw csv.Error($"ADMITTIME '{timeText}' is not a date and time");
                }

                if (!patientIndex.TryGetValue(subject, out int p))
                {
                    p = patientIds.Count;
                    patientIndex.Add(subject, p);
                    patientIds.Add(subject);
                }

                if (!admissionIndex.TryAdd(hadm, admissionPatient.Count))
                {
                    throw csv.Error($"HADM_ID {hadm} occurs twice");
                }

                admissionPatient.Add(p);
                admissionTime.Add(time);
            }
        }

        // 2. DIAGNOSES_ICD: codes per admission, in row order.
        var admissionCodes = new List<string>?[admissionPatient.Count];
        var groupCache = new Dictionary<string, string>(StringComparer.Ordinal);
        var groupLookup = groupCache.GetAlternateLookup<ReadOnlySpan<char>>();
        using (var csv = new CsvReader(diagnoses, diagnosesName, cancellationToken))
        {
            var col = csv.ReadHeader(DiagnosisColumns, out _);
            int need = col.Max() + 1;
            var admissionLookup = admissionIndex.GetAlternateLookup<ReadOnlySpan<char>>();
            while (csv.Read())
            {
                report.RowsRead++;
                csv.RequireFields(need);
                var hadm = csv[col[0]].Trim();
                var raw = csv[col[1]].Trim();
                if (raw.IsEmpty)
                {
                    report.Skip("empty ICD9_CODE");
                    continue;
                }

                if (hadm.IsEmpty)
                {
                    throw csv.Error("HADM_ID is empty");
                }

                if (!admissionLookup.TryGetValue(hadm, out int a))
                {
                    report.Skip("HADM_ID not in ADMISSIONS");
                    continue;
                }

                if (!groupLookup.TryGetValue(raw, out var code))
                {
                    string rawText = raw.ToString();
                    if (!CodeVocabulary.IsValidCode(rawText))
                    {
                        throw csv.Error($"ICD9_CODE '{TextSafety.Printable(rawText, 64)}' is not a valid code: {CodeVocabulary.CodeRule}");
                    }

                    code = Icd9Codes.Group(rawText, options.Grouping);
                    groupCache.Add(rawText, code);
                }

                (admissionCodes[a] ??= []).Add(code);
            }
        }

        // 3. Per patient: admissions by time, union of codes, columns in first-seen order.
        var patientAdmissions = new List<int>?[patientIds.Count];
        for (int a = 0; a < admissionPatient.Count; a++)
        {
            (patientAdmissions[admissionPatient[a]] ??= []).Add(a);
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var columnOrder = new List<string>();
        var rows = new List<(string Id, int[] Codes)>(patientIds.Count);
        var current = new List<int>();
        for (int p = 0; p < patientIds.Count; p++)
        {
            var adms = patientAdmissions[p]!;
            adms.Sort((x, y) => admissionTime[x] != admissionTime[y] ? admissionTime[x].CompareTo(admissionTime[y]) : x.CompareTo(y));
            current.Clear();
            foreach (int a in adms)
            {
                if (admissionCodes[a] is not { } codes)
                {
                    continue;
                }

                foreach (var code in codes)
                {
                    if (!columns.TryGetValue(code, out int c))
                    {
                        c = columnOrder.Count;
                        columns.Add(code, c);
                        columnOrder.Add(code);
                    }

                    if (!current.Contains(c))
                    {
                        current.Add(c);
                    }
                }
            }

            if (current.Count == 0)
            {
                switch (options.EmptyPatients)
                {
                    case EmptyPatientPolicy.Throw:
                        throw new EhrDataFormatException("the patient's admissions have no diagnosis codes (to accept it, keep or skip empty patients: EmptyPatients in the library, --empty-patients on the command line)", diagnosesName, patientId: patientIds[p]);
                    case EmptyPatientPolicy.Skip:
                        report.Skip("patient with no diagnosis codes");
                        continue;
                    default:
                        report.EmptyPatientsKept++;
                        break;
                }
            }

            rows.Add((patientIds[p], current.ToArray()));
        }

        var result = EhrDatasetAssembly.Build(rows, columnOrder, options.ColumnOrder);
        report.Patients = result.PatientCount;
        report.Codes = result.CodeCount;
        report.StoredCodes = result.StoredCodeCount;
        return new EhrLoadResult(result, report);
    }

    private static string RequireText(CsvReader csv, int column, string name)
    {
        var value = csv[column].Trim();
        if (value.IsEmpty)
        {
            throw csv.Error($"{name} is empty");
        }

        return value.ToString();
    }

    private static bool TryParseTime(ReadOnlySpan<char> text, out DateTime time) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out time)
        || DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}
