using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// Writes MIMIC-IV-shaped <c>hosp/admissions.csv.gz</c> and <c>hosp/diagnoses_icd.csv.gz</c> of any size, streamed to
/// gzip: about 11 diagnoses per admission and 2.4 admissions per patient (MIMIC-IV v2.2: 4.76 M rows, 431 k admissions,
/// 180 k patients with diagnoses); admissions before the cut (45 %) coded in ICD-9, the others in ICD-10-CM; codes from
/// 9,000 ICD-9-shaped and 12,000 ICD-10-shaped strings with Zipf-like frequencies.
/// </summary>
internal static class MimicIVSizedTables
{
    public static (int Patients, int Admissions) Write(string folder, long diagnosisRows, int seed)
    {
        string hosp = Path.Combine(folder, "hosp");
        Directory.CreateDirectory(hosp);
        var rng = new Random(seed);
        int admissions = (int)Math.Max(1, diagnosisRows / 11);
        int patients = Math.Max(1, (int)(admissions / 2.4));
        var nine = Enumerable.Range(0, 9_000).Select(i => (i % 13) switch
        {
            0 => $"V{10 + (i % 80):D2}{i % 10}",
            1 => $"E{800 + (i % 99)}{i % 10}",
            _ => $"{(i * 7) % 1000:D3}{i % 100:D2}",
        }).ToArray();
        var ten = Enumerable.Range(0, 12_000).Select(i => $"{(char)('A' + (i % 26))}{(i / 26) % 100:D2}{i % 10}{(i % 3 == 0 ? "" : (i % 7).ToString(CultureInfo.InvariantCulture))}").ToArray();
        var admissionPatient = new int[admissions];
        var icd10 = new bool[admissions];
        using (var writer = Gzip(Path.Combine(hosp, "admissions.csv.gz")))
        {
            writer.Write("subject_id,hadm_id,admittime,dischtime,admission_type\n");
            for (int a = 0; a < admissions; a++)
            {
                admissionPatient[a] = a < patients ? a : rng.Next(patients);
                int minutes = rng.Next(0, 8_000_000);
                icd10[a] = minutes > 4_400_000;
                var t = new DateTime(2110, 1, 1).AddMinutes(minutes);
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{10_000_000 + admissionPatient[a]},{20_000_000 + a},{t:yyyy-MM-dd HH:mm:ss},{t.AddDays(4):yyyy-MM-dd HH:mm:ss},EW EMER.\n"));
            }
        }

        using (var writer = Gzip(Path.Combine(hosp, "diagnoses_icd.csv.gz")))
        {
            writer.Write("subject_id,hadm_id,seq_num,icd_code,icd_version\n");
            var line = new StringBuilder();
            for (long r = 0; r < diagnosisRows; r++)
            {
                int a = r < admissions ? (int)r : rng.Next(admissions);
                var codes = icd10[a] ? ten : nine;
                int c = (int)Math.Min(codes.Length - 1, Math.Floor(Math.Pow(rng.NextDouble(), 3) * codes.Length));
                line.Clear().Append(CultureInfo.InvariantCulture, $"{10_000_000 + admissionPatient[a]},{20_000_000 + a},{1 + (r % 20)},{codes[c]},{(icd10[a] ? 10 : 9)}\n");
                writer.Write(line);
            }
        }

        return (patients, admissions);
    }

    private static StreamWriter Gzip(string path) =>
        new(new GZipStream(File.Create(path), CompressionLevel.Fastest), new UTF8Encoding(false), 1 << 16);
}
