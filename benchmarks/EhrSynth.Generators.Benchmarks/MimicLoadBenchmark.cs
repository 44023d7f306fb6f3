using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// Loading a MIMIC-III-sized pair of tables (651,047 diagnosis rows, ~46.5k patients, ~59k admissions) into an
/// <see cref="EhrDataset"/>. Target: under 1 s; the dataset's retained memory at most 2× its sparse size.
/// </summary>
public class MimicLoadBenchmark
{
    private string _folder = "";

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "ehrsynth-bench-mimic");
        if (!File.Exists(Path.Combine(_folder, "DIAGNOSES_ICD.csv")))
        {
            MimicSizedTables.Write(_folder, patients: 46_520, admissions: 58_976, diagnosisRows: 651_047, seed: 1);
        }

        var retained = MeasureRetained(out var data);
        Console.WriteLine($"// {data}; sparse size {data.SparseBytes / 1e6:F2} MB; retained after load {retained / 1e6:F2} MB ({(double)retained / data.SparseBytes:F2}x)");
    }

    [Benchmark]
    public EhrDataset LoadMimicSizedTables() => MimicIIILoader.Load(_folder).Dataset;

    private long MeasureRetained(out EhrDataset data)
    {
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        long before = GC.GetTotalMemory(true);
        data = MimicIIILoader.Load(_folder).Dataset;
        long after = GC.GetTotalMemory(true);
        GC.KeepAlive(data);
        return after - before;
    }
}

/// <summary>Writes synthetic ADMISSIONS / DIAGNOSES_ICD tables with MIMIC-III's size and shape.</summary>
internal static class MimicSizedTables
{
    public static void Write(string folder, int patients, int admissions, int diagnosisRows, int seed)
    {
        Directory.CreateDirectory(folder);
        var rng = new Random(seed);
        var admissionPatient = new int[admissions];
        for (int a = 0; a < admissions; a++)
        {
            admissionPatient[a] = a < patients ? a : rng.Next(patients);
        }

        var adm = new StringBuilder("ROW_ID,SUBJECT_ID,HADM_ID,ADMITTIME,DISCHTIME\n");
        for (int a = 0; a < admissions; a++)
        {
            var t = new DateTime(2100, 1, 1).AddMinutes(rng.Next(0, 50_000_000));
            adm.Append(CultureInfo.InvariantCulture, $"{a},{10_000 + admissionPatient[a]},{100_000 + a},{t:yyyy-MM-dd HH:mm:ss},{t.AddDays(5):yyyy-MM-dd HH:mm:ss}\n");
        }

        File.WriteAllText(Path.Combine(folder, "ADMISSIONS.csv"), adm.ToString());

        // ~6,984 distinct full codes whose three-digit groups number about 1,071; Zipf-like frequencies.
        var codes = Enumerable.Range(0, 6_984).Select(i => (i % 11) switch
        {
            0 => $"V{10 + (i % 80):D2}{i % 10}",
            1 => $"E{800 + (i % 99)}{i % 10}",
            _ => $"{(i * 7) % 1000:D3}{i % 100:D2}",
        }).ToArray();
        var dx = new StringBuilder("ROW_ID,SUBJECT_ID,HADM_ID,SEQ_NUM,ICD9_CODE\n");
        for (int r = 0; r < diagnosisRows; r++)
        {
            int a = r < admissions ? r : rng.Next(admissions);
            int c = (int)Math.Min(codes.Length - 1, Math.Floor(Math.Pow(rng.NextDouble(), 3) * codes.Length));
            dx.Append(CultureInfo.InvariantCulture, $"{r},{10_000 + admissionPatient[a]},{100_000 + a},{1 + (r % 20)},\"{codes[c]}\"\n");
        }

        File.WriteAllText(Path.Combine(folder, "DIAGNOSES_ICD.csv"), dx.ToString());
    }
}
