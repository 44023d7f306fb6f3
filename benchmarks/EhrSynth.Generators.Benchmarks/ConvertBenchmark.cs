using System.Diagnostics;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// Converting MIMIC-IV: <c>MimicIVLoader.Load</c> of generated MIMIC-IV-shaped tables (<see cref="MimicIVSizedTables"/>)
/// and writing the result as long Parquet, as <c>ehrsynth convert</c> does. The BenchmarkDotNet case reads 1 M
/// diagnosis rows; <see cref="Scale"/> (<c>--convert-scale</c>) runs one conversion of any size in a fresh process and
/// reports rows per second and the process's peak memory, for the 10-million-row figure in docs/benchmarks.md.
/// </summary>
public class ConvertBenchmark
{
    private string _folder = "";

    /// <summary>Diagnosis rows.</summary>
    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => _folder = Tables(Rows);

    [Benchmark]
    public EhrDataset LoadMimicIV() => MimicIVLoader.Load(_folder).Dataset;

    /// <summary>
    /// One conversion in this process: <paramref name="source"/> <c>mimic-iv</c> (generated with
    /// <paramref name="rows"/> diagnosis rows, read and written as Parquet) or <c>mimic-iii</c> (the MIMIC-III-sized
    /// tables of <see cref="MimicLoadBenchmark"/>, read); prints and writes to <paramref name="output"/> the rows read,
    /// seconds, rows per second and the peak working set.
    /// </summary>
    public static int Scale(string source, long rows, string? output)
    {
        string folder;
        if (source == "mimic-iii")
        {
            folder = Path.Combine(Path.GetTempPath(), "ehrsynth-bench-mimic");
            if (!File.Exists(Path.Combine(folder, "DIAGNOSES_ICD.csv")))
            {
                MimicSizedTables.Write(folder, patients: 46_520, admissions: 58_976, diagnosisRows: 651_047, seed: 1);
            }
        }
        else
        {
            folder = Tables(rows);
        }

        long fileBytes = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var watch = Stopwatch.StartNew();
        var result = source == "mimic-iii" ? MimicIIILoader.Load(folder) : MimicIVLoader.Load(folder);
        double readSeconds = watch.Elapsed.TotalSeconds;
        string parquet = Path.Combine(Path.GetTempPath(), $"ehrsynth-bench-convert-{Environment.ProcessId}.parquet");
        if (source != "mimic-iii")
        {
            LongParquet.Write(parquet, result.Dataset, includeTitles: false, overwrite: true);
        }

        double totalSeconds = watch.Elapsed.TotalSeconds;
        long parquetBytes = File.Exists(parquet) ? new FileInfo(parquet).Length : 0;
        File.Delete(parquet);
        var data = result.Dataset;
        var figures = new
        {
            source,
            machine = Experiments.MachineDescription.Summary(),
            rowsRead = result.Report.RowsRead,
            inputBytes = fileBytes,
            patients = data.PatientCount,
            codes = data.CodeCount,
            storedCodes = data.StoredCodeCount,
            readSeconds = Math.Round(readSeconds, 2),
            rowsPerSecond = Math.Round(result.Report.RowsRead / readSeconds),
            parquetWriteSeconds = Math.Round(totalSeconds - readSeconds, 2),
            parquetBytes,
            peakWorkingSetMB = BenchmarkFigures.PeakWorkingSetMegabytes(),
            datasetMB = Math.Round(data.SparseBytes / 1e6, 1),
        };
        return BenchmarkFigures.Write(figures, output);
    }

    /// <summary>The Markdown table of docs/benchmarks.md, rendered from the figures files <see cref="Scale"/> wrote.</summary>
    public static int Table(IEnumerable<string> files)
    {
        Console.WriteLine("| source | rows read | input | patients × codes | read | rows/s | Parquet write | peak memory | dataset |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var f = doc.RootElement;
            double write = f.GetProperty("parquetWriteSeconds").GetDouble();
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"| {f.GetProperty("source").GetString()} | {f.GetProperty("rowsRead").GetInt64():N0} | {f.GetProperty("inputBytes").GetInt64() / 1e6:F0} MB | {f.GetProperty("patients").GetInt32():N0} × {f.GetProperty("codes").GetInt32():N0} | {f.GetProperty("readSeconds").GetDouble():F1} s | {f.GetProperty("rowsPerSecond").GetDouble():N0} | {(write > 0 ? $"{write:F1} s" : "—")} | {f.GetProperty("peakWorkingSetMB").GetDouble():N0} MB | {f.GetProperty("datasetMB").GetDouble():F1} MB |"));
        }

        return 0;
    }

    private static string Tables(long rows)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"ehrsynth-bench-mimic-iv-{rows}");
        if (!File.Exists(Path.Combine(folder, "hosp", "diagnoses_icd.csv.gz")))
        {
            MimicIVSizedTables.Write(folder, rows, seed: 1);
        }

        return folder;
    }
}
