using System.Globalization;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO.Tables;

namespace EhrSynth.Generators.IO;

/// <summary>
/// Reads MIMIC-IV (the <c>hosp</c> module, v2.x) into one row per patient: the union of the patient's diagnoses over all
/// admissions, from <c>diagnoses_icd</c> (<c>subject_id, hadm_id, seq_num, icd_code, icd_version</c>) and, when it is
/// there, <c>admissions</c> (<c>subject_id, hadm_id, admittime</c>) for the order of patients and admissions.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Tables are <c>.csv</c>, <c>.csv.gz</c> or <c>.parquet</c>, with headers in any letter case. The source is the
/// folder as PhysioNet ships it (holding <c>hosp/</c>), the <c>hosp</c> folder, a folder of the files, or the
/// <c>diagnoses_icd</c> file itself (with <c>admissions</c> beside it, if it exists).</item>
/// <item>Versions (<see cref="MimicIVLoadOptions.Versions"/>): both by default, each code marked <c>9:</c> or
/// <c>10:</c>, or one version (rows of the other are skipped and counted). ICD-9 codes are grouped with medGAN's rule,
/// ICD-10-CM codes to their three-character category.</item>
/// <item>With <c>admissions</c>: patients in the order of their first admission row, admissions by <c>admittime</c>,
/// codes by row order within an admission (as <see cref="MimicIIILoader"/>); a diagnosis whose <c>hadm_id</c> is not in
/// <c>admissions</c> is skipped and counted; one whose <c>subject_id</c> disagrees with its admission is an error.
/// Without it: patients and admissions in the order of <c>diagnoses_icd</c>, said in the report.</item>
/// <item>Empty codes are skipped and counted; an <c>icd_version</c> other than 9 or 10, or an ICD-10 code that is not
/// shaped like one, is an error naming the file and line.</item>
/// <item>Memory holds 12 bytes per diagnosis row plus the dataset, whatever the size of the files.</item>
/// </list>
/// </remarks>
public static class MimicIVLoader
{
    /// <summary>Whether <paramref name="path"/> looks like a MIMIC-IV source: a <c>diagnoses_icd</c> table (in it, in its
    /// <c>hosp/</c>, or the file itself) whose header has an <c>icd_version</c> column.</summary>
    public static bool Recognizes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Locate(path) is not { } tables)
        {
            return false;
        }

        try
        {
            using var table = TableReader.Open(tables.Diagnoses);
            return table.Find("icd_version") >= 0;
        }
        catch (Exception e) when (e is EhrDataFormatException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Loads a MIMIC-IV source (see remarks).</summary>
    /// <exception cref="FileNotFoundException">No <c>diagnoses_icd</c> table was found.</exception>
    /// <exception cref="EhrDataFormatException">A table is malformed; the message names the file and line.</exception>
    public static EhrLoadResult Load(string path, MimicIVLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new MimicIVLoadOptions();
        var (diagnoses, admissions) = Locate(path)
            ?? throw new FileNotFoundException($"No diagnoses_icd table (.csv, .csv.gz or .parquet) in {path} or {Path.Combine(path, "hosp")}.", Path.Combine(path, "hosp", "diagnoses_icd.csv.gz"));
        var report = new LoadReport(path)
        {
            CodeSystem = options.Versions switch { IcdVersionPolicy.Icd9 => CodeSystem.Icd9, IcdVersionPolicy.Icd10 => CodeSystem.Icd10, _ => CodeSystem.Icd9And10 },
        };
        var events = new PatientEvents();
        var admissionIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var admissionPatient = new List<int>();
        int[]? rank = null;
        if (admissions is not null)
        {
            rank = ReadAdmissions(admissions, events, admissionIndex, admissionPatient, report, cancellationToken);
        }
        else
        {
            report.Note("no admissions table beside diagnoses_icd: patients and admissions are taken in the order of diagnoses_icd");
        }

        ReadDiagnoses(diagnoses, options, events, admissionIndex, admissionPatient, rank, report, cancellationToken);
        var dataset = events.Build(options.ColumnOrder, options.EmptyPatients, report, diagnoses, "patient with no diagnosis kept", cancellationToken);
        return new EhrLoadResult(dataset, report);
    }

    /// <summary>The <c>diagnoses_icd</c> and <c>admissions</c> files of a source, or <see langword="null"/>.</summary>
    internal static (string Diagnoses, string? Admissions)? Locate(string path)
    {
        if (File.Exists(path))
        {
            return TableFiles.TableName(path) == "diagnoses_icd"
                ? (path, TableFiles.Find(Path.GetDirectoryName(Path.GetFullPath(path))!, "admissions"))
                : null;
        }

        foreach (var folder in new[] { path, Path.Combine(path, "hosp") })
        {
            if (TableFiles.Find(folder, "diagnoses_icd") is { } found)
            {
                return (found, TableFiles.Find(folder, "admissions"));
            }
        }

        return null;
    }

    private static int[] ReadAdmissions(string file, PatientEvents events, Dictionary<string, int> index, List<int> patientOf, LoadReport report, CancellationToken ct)
    {
        report.Read(file);
        var times = new List<long>();
        using (var table = TableReader.Open(file, ct))
        {
            var col = table.Require("subject_id", "hadm_id", "admittime");
            var lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
            while (table.Read())
            {
                report.RowsRead++;
                var subject = table[col[0]];
                var hadm = table[col[1]];
                if (subject.IsEmpty || hadm.IsEmpty)
                {
                    throw table.Error(subject.IsEmpty ? "subject_id is empty" : "hadm_id is empty");
                }

                if (!TryParseTime(table[col[2]], out var time))
                {
                    throw table.Error($"admittime '{TextSafety.Printable(table[col[2]].ToString(), 40)}' is not a date and time");
                }

                if (!lookup.TryAdd(hadm, patientOf.Count))
                {
                    throw table.Error($"hadm_id {TextSafety.Printable(hadm.ToString(), 40)} occurs twice");
                }

                patientOf.Add(events.Patient(subject));
                times.Add(time.Ticks);
            }
        }

        // Each admission's rank in time (ties keep file order): the order of its diagnoses within the patient.
        var order = Enumerable.Range(0, times.Count).ToArray();
        Array.Sort(order, (a, b) => times[a] != times[b] ? times[a].CompareTo(times[b]) : a.CompareTo(b));
        var rank = new int[order.Length];
        for (int r = 0; r < order.Length; r++)
        {
            rank[order[r]] = r;
        }

        return rank;
    }

    private static void ReadDiagnoses(string file, MimicIVLoadOptions options, PatientEvents events, Dictionary<string, int> admissions, List<int> patientOf, int[]? rank, LoadReport report, CancellationToken ct)
    {
        report.Read(file);
        using var table = TableReader.Open(file, ct);
        var col = table.Require("subject_id", "hadm_id", "icd_code", "icd_version");
        var admissionLookup = admissions.GetAlternateLookup<ReadOnlySpan<char>>();
        var codeCache = new[] { new Dictionary<string, int>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.Ordinal) };
        bool marked = options.Versions == IcdVersionPolicy.Both;
        while (table.Read())
        {
            report.RowsRead++;
            int version = table[col[3]] switch
            {
                "9" => 9,
                "10" => 10,
                var v => throw table.Error($"icd_version '{TextSafety.Printable(v.ToString(), 20)}' is neither 9 nor 10"),
            };
            if ((version == 9 && options.Versions == IcdVersionPolicy.Icd10) || (version == 10 && options.Versions == IcdVersionPolicy.Icd9))
            {
                report.Skip($"ICD-{version} row (the version policy keeps ICD-{(version == 9 ? 10 : 9)} only)");
                continue;
            }

            var raw = table[col[2]];
            if (raw.IsEmpty)
            {
                report.Skip("empty icd_code");
                continue;
            }

            var subject = table[col[0]];
            if (subject.IsEmpty)
            {
                throw table.Error("subject_id is empty");
            }

            var hadm = table[col[1]];
            int patient, order;
            if (rank is not null)
            {
                if (hadm.IsEmpty || !admissionLookup.TryGetValue(hadm, out int a))
                {
                    report.Skip(hadm.IsEmpty ? "empty hadm_id" : "hadm_id not in admissions");
                    continue;
                }

                (patient, order) = (patientOf[a], rank[a]);
                if (!subject.SequenceEqual(events.PatientId(patient)))
                {
                    throw table.Error($"hadm_id {TextSafety.Printable(hadm.ToString(), 40)} belongs to subject_id {TextSafety.Printable(events.PatientId(patient), 40)} in admissions, not {TextSafety.Printable(subject.ToString(), 40)}");
                }
            }
            else
            {
                patient = events.Patient(subject);
                if (hadm.IsEmpty)
                {
                    order = int.MaxValue;
                }
                else if (!admissionLookup.TryGetValue(hadm, out order))
                {
                    order = admissions.Count;
                    admissions.Add(hadm.ToString(), order);
                }
            }

            var cache = codeCache[version == 9 ? 0 : 1].GetAlternateLookup<ReadOnlySpan<char>>();
            if (!cache.TryGetValue(raw, out int code))
            {
                string stored = (version == 10 ? Icd10Codes.Normalize(raw) : Icd9(raw))
                    ?? throw table.Error($"icd_code '{TextSafety.Printable(raw.ToString(), 40)}' is not an ICD-{version} code", events.PatientId(patient));
                string grouped = IcdCodes.Group(version, stored, options.Grouping);
                code = events.Code(marked ? IcdCodes.Mark(version, grouped) : grouped);
                cache.TryAdd(raw, code);
            }

            events.Add(patient, order, code);
        }
    }

    /// <summary>An ICD-9 code as MIMIC stores it (no dot, upper case), or <see langword="null"/> when it cannot be one.</summary>
    private static string? Icd9(ReadOnlySpan<char> raw)
    {
        string code = raw.ToString().Replace(".", "", StringComparison.Ordinal).ToUpperInvariant();
        return code.Length is >= 3 and <= 5 && (char.IsAsciiDigit(code[0]) || code[0] is 'V' or 'E') && code.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0 ? code : null;
    }

    private static bool TryParseTime(ReadOnlySpan<char> text, out DateTime time) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out time)
        || DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}
