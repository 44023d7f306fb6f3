using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EhrSynth.Generators.Cli;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// The scale figures of docs/benchmarks.md and docs/scale.md, each one command in a fresh process so that the peak
/// working set is that command's, run through the <c>ehrsynth</c> command line in-process (the user's path):
/// <list type="bullet">
/// <item><c>--generate-scale N --model DIR</c>: <c>ehrsynth generate</c> of N patients from a saved model to one Parquet
/// file (the parts of a shard, written in row groups): patients per second and peak memory, which should not grow with N.</item>
/// <item><c>--evaluate-scale N D [--shards]</c>: <c>ehrsynth evaluate</c> of N synthetic patients against N real ones over
/// D codes (<see cref="ScaleFixture"/>, made once by a child process so its memory is not counted), from one file or
/// (<c>--shards</c>) from four shard files merged by their statistics: time and peak memory.</item>
/// </list>
/// Each writes its figures as JSON (<c>--output</c>); <c>--scale-table</c> renders the tables from those files.
/// </summary>
internal static class ScaleBenchmark
{
    /// <summary><c>ehrsynth generate --model <paramref name="model"/> --count <paramref name="count"/></c> to a temporary Parquet file.</summary>
    public static int Generate(int count, string model, string? output)
    {
        string folder = Directory.CreateTempSubdirectory("ehrsynth-bench-generate-").FullName;
        try
        {
            string parquet = Path.Combine(folder, "shard-0.parquet");
            var (code, seconds, text) = Run(["generate", "--model", model, "--count", count.ToString(CultureInfo.InvariantCulture), "--output", parquet, "--shard", "0/1", "--device", "cpu", "--json"]);
            if (code != 0)
            {
                Console.Error.WriteLine(text);
                return code;
            }

            using var result = JsonDocument.Parse(text);
            var figures = new Dictionary<string, object?>
            {
                ["kind"] = "generate",
                ["machine"] = Experiments.MachineDescription.Summary(),
                ["family"] = result.RootElement.GetProperty("family").GetString(),
                ["patients"] = count,
                ["seconds"] = Math.Round(seconds, 1),
                ["patientsPerSecond"] = Math.Round(count / seconds),
                ["parquetBytes"] = new FileInfo(parquet).Length,
                ["peakWorkingSetMB"] = BenchmarkFigures.PeakWorkingSetMegabytes(),
            };
            return BenchmarkFigures.Write(figures, output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary><c>ehrsynth evaluate</c> of the <see cref="ScaleFixture"/> of <paramref name="patients"/> × <paramref name="codes"/>.</summary>
    public static int Evaluate(int patients, int codes, bool shards, string? output)
    {
        string fixture = Path.Combine(Path.GetTempPath(), $"ehrsynth-bench-scale-{patients}x{codes}");
        if (!File.Exists(Path.Combine(fixture, "done")))
        {
            var fixtureWatch = Stopwatch.StartNew();
            int made = Child("--scale-fixture", fixture, patients.ToString(CultureInfo.InvariantCulture), codes.ToString(CultureInfo.InvariantCulture));
            if (made != 0)
            {
                return made;
            }

            Console.Error.WriteLine($"fixture written in {fixtureWatch.Elapsed.TotalSeconds:F0} s: {fixture}");
        }

        string synthetic = shards ? Path.Combine(fixture, "synthetic") : Path.Combine(fixture, "synthetic.parquet");
        string json = Path.Combine(Path.GetTempPath(), $"ehrsynth-bench-evaluate-{Environment.ProcessId}.json");
        var (code, seconds, text) = Run(["evaluate", "--real", Path.Combine(fixture, "real.parquet"), "--synthetic", synthetic, "--output-json", json, "--overwrite"]);
        if (code != 0)
        {
            Console.Error.WriteLine(text);
            return code;
        }

        using var values = JsonDocument.Parse(File.ReadAllText(json));
        File.Delete(json);
        var metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        foreach (var value in values.RootElement.GetProperty("values").EnumerateArray())
        {
            metrics[$"{value.GetProperty("metric").GetString()}/{value.GetProperty("key").GetString()}"] =
                value.GetProperty("value").ValueKind == JsonValueKind.Number ? value.GetProperty("value").GetDouble() : null;
        }

        var figures = new Dictionary<string, object?>
        {
            ["kind"] = shards ? "evaluate-shards" : "evaluate",
            ["machine"] = Experiments.MachineDescription.Summary(),
            ["patients"] = patients,
            ["codes"] = codes,
            ["syntheticFiles"] = shards ? Directory.GetFiles(synthetic, "*.parquet").Length : 1,
            ["seconds"] = Math.Round(seconds, 1),
            ["peakWorkingSetMB"] = BenchmarkFigures.PeakWorkingSetMegabytes(),
            ["values"] = metrics,
        };
        return BenchmarkFigures.Write(figures, output);
    }

    /// <summary>Writes the fixture (the child process of <see cref="Evaluate"/>).</summary>
    public static int Fixture(string folder, int patients, int codes)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        ScaleFixture.Write(folder, patients, codes);
        File.WriteAllText(Path.Combine(folder, "done"), "");
        return 0;
    }

    /// <summary>The Markdown tables of docs/benchmarks.md, rendered from the figures files.</summary>
    public static int Table(IEnumerable<string> files)
    {
        var all = files.Order(StringComparer.Ordinal).Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();
        string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine("| generate | patients | time | patients/s | Parquet | peak memory |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var f in all.Where(f => f.GetProperty("kind").GetString() == "generate").OrderBy(f => f.GetProperty("patients").GetInt64()))
        {
            Console.WriteLine(I($"| {f.GetProperty("family").GetString()} | {f.GetProperty("patients").GetInt64():N0} | {f.GetProperty("seconds").GetDouble():F1} s | {f.GetProperty("patientsPerSecond").GetDouble():N0} | {f.GetProperty("parquetBytes").GetInt64() / 1e6:F0} MB | {f.GetProperty("peakWorkingSetMB").GetDouble():N0} MB |"));
        }

        Console.WriteLine();
        Console.WriteLine("| evaluate | patients per side × codes | synthetic files | time | peak memory | normalised covariance error | MAE_cross / MAE_real | bigram R² | dimension-wise r |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in all.Where(f => f.GetProperty("kind").GetString()!.StartsWith("evaluate", StringComparison.Ordinal))
                     .OrderBy(f => f.GetProperty("patients").GetInt64()).ThenBy(f => f.GetProperty("kind").GetString(), StringComparer.Ordinal))
        {
            var v = f.GetProperty("values");
            string Value(string key) => v.TryGetProperty(key, out var x) && x.ValueKind == JsonValueKind.Number ? x.GetDouble().ToString("F4", CultureInfo.InvariantCulture) : "—";
            Console.WriteLine(I($"| {(f.GetProperty("kind").GetString() == "evaluate" ? "one file" : "shards, merged")} | {f.GetProperty("patients").GetInt64():N0} × {f.GetProperty("codes").GetInt32():N0} | {f.GetProperty("syntheticFiles").GetInt32()} | {f.GetProperty("seconds").GetDouble():F1} s | {f.GetProperty("peakWorkingSetMB").GetDouble():N0} MB | {Value("Covariance resampling/normalized_cov_error")} | {Value("Covariance resampling/cross_over_real")} | {Value("Co-occurrence/bigram_r2")} | {Value("Dimension-wise distribution/pearson")} |"));
        }

        return 0;
    }

    private static (int Code, double Seconds, string Output) Run(string[] args)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        var watch = Stopwatch.StartNew();
        int code = EhrSynthCli.RunAsync(args, output, error, interactive: false).GetAwaiter().GetResult();
        double seconds = watch.Elapsed.TotalSeconds;
        Console.Error.Write(error.ToString());
        return (code, seconds, code == 0 ? output.ToString() : output + error.ToString());
    }

    private static int Child(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!);
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ScaleBenchmark).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
