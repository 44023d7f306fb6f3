using System.Diagnostics;
using System.Text.Json;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>What the one-command-per-process figures (<c>--convert-scale</c>, <c>--generate-scale</c>, <c>--evaluate-scale</c>) share: the process's peak memory and the figures file.</summary>
internal static class BenchmarkFigures
{
    /// <summary>This process's peak working set, in MB.</summary>
    public static double PeakWorkingSetMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return Math.Round(process.PeakWorkingSet64 / 1e6);
    }

    /// <summary>Prints <paramref name="figures"/> as indented JSON and writes them to <paramref name="output"/> when given; returns 0.</summary>
    public static int Write(object figures, string? output)
    {
        string json = JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(json);
        if (output is not null)
        {
            File.WriteAllText(output, json + "\n");
        }

        return 0;
    }
}
