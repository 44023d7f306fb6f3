using System.CommandLine;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli;

/// <summary>Options more than one command takes.</summary>
internal static class CliOptions
{
    public static readonly Option<bool> Json = new("--json") { Description = "Machine-readable JSON output.", Recursive = true };

    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show the stack trace of unexpected errors.", Recursive = true };

    public static Option<int> Seed() => new("--seed") { Description = "Seed of the split, training, sampling and metrics.", DefaultValueFactory = _ => 1 };

    public static Option<string> Device() => new("--device") { Description = "auto, cpu, cuda or cuda:N. The default is auto (CUDA when available).", DefaultValueFactory = _ => "auto" };

    public static Option<string> Budget() => new("--budget")
    {
        Description = $"{GeneratorFamily.Quick} (minutes on a CPU), {GeneratorFamily.Long} (the quick models trained longer) or {GeneratorFamily.Paper} (the paper's settings; meant for a GPU).",
        DefaultValueFactory = _ => GeneratorFamily.Quick,
    };

    public static Option<int?> Epochs() => new("--epochs") { Description = "Override the final training phase's epochs (for short runs)." };

    public static Option<string> Data() => new("--data")
    {
        Description = "Embedded dataset name; a MIMIC-III, MIMIC-IV or OMOP folder (or one of their tables); the UCI zip or diabetic_data.csv; a long CSV or Parquet file; or a .npy with its codes file (see ehrsynth convert).",
        DefaultValueFactory = _ => Datasets.EhrDatasets.UciDiabetes130Name,
    };

    public static Option<bool> Overwrite() => new("--overwrite") { Description = "Replace output files that already exist (never folders holding files EhrSynth did not write)." };

    public static Option<string?> EmptyPatients() => new("--empty-patients") { Description = "What to do with patients that have no codes: throw, keep or skip. The default is each reader's (throw, but keep for UCI)." };

    public static EmptyPatientPolicy? ParseEmpty(string? text) => text?.ToLowerInvariant() switch
    {
        null => null,
        "throw" => EmptyPatientPolicy.Throw,
        "keep" => EmptyPatientPolicy.Keep,
        "skip" => EmptyPatientPolicy.Skip,
        _ => throw new ArgumentException($"--empty-patients must be throw, keep or skip (got '{TextSafety.Printable(text, 20)}')."),
    };

    public static string ParseBudget(string text, IEnumerable<GeneratorFamily> families)
    {
        string budget = text.ToLowerInvariant();
        var known = families.SelectMany(f => f.Presets).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return known.Contains(budget, StringComparer.OrdinalIgnoreCase)
            ? budget
            : throw new ArgumentException($"--budget must be one of {string.Join(", ", known)} (got '{TextSafety.Printable(text, 20)}').");
    }
}
