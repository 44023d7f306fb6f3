using BenchmarkDotNet.Running;
using EhrSynth.Generators.Benchmarks;

// Run all:  dotnet run -c Release --project benchmarks/EhrSynth.Generators.Benchmarks -- --filter '*'
// One:      dotnet run -c Release --project benchmarks/EhrSynth.Generators.Benchmarks -- --filter '*MimicLoad*'
// Stress: dotnet run -c Release --project benchmarks/EhrSynth.Generators.Benchmarks -- --stress stock|guarded|rooted [steps] [--quiet]
// PyTorch side by side (the library's half; benchmarks/pytorch/compare.sh runs both):
//           dotnet run -c Release --project benchmarks/EhrSynth.Generators.Benchmarks -- --side-by-side OUT.json [--runs N] [--cases vae-mlp,medgan]
// Profiles: --profile-steps (training-step stages), --profile-transposed-conv (native vs rewritten), --profile-vae-conv,
//           --profile-decoding (constrained vs unconstrained per step at batch 256)
// Convert:  --convert-scale mimic-iv|mimic-iii [rows] [--output figures.json] (one conversion in this process: rows/s, peak memory)
//           --convert-table FILE.json... (the Markdown table of docs/benchmarks.md from those files)
// Scale:    --generate-scale N --model DIR [--output figures.json] (ehrsynth generate of N patients to Parquet in this process)
//           --evaluate-scale N D [--shards] [--output figures.json] (ehrsynth evaluate, N × D patients per side, one file or 4 shards)
//           --scale-table FILE.json... (the Markdown tables of docs/benchmarks.md and docs/scale.md from those files)
if (args is ["--side-by-side", var output, ..])
{
    int runs = Option("--runs") is { } r && int.TryParse(r, out int n) && n > 0 ? n : 3;
    var cases = Option("--cases")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? SideBySide.Cases;
    return SideBySide.Run(output, runs, cases);
}

if (args is ["--profile-steps", ..])
{
    return StepProfile.Run();
}

if (args is ["--profile-decoding", ..])
{
    return DecodingProfile.Run();
}

if (args is ["--profile-transposed-conv", ..])
{
    return TransposedConvProfile.Run();
}

if (args is ["--profile-vae-conv", ..])
{
    return SideBySide.ProfileConvDecoder();
}

if (args is ["--convert-scale", var source, ..])
{
    long rows = args.Length > 2 && long.TryParse(args[2], out long n) ? n : 10_000_000;
    return ConvertBenchmark.Scale(source, rows, Option("--output"));
}

if (args is ["--convert-table", .. var files])
{
    return ConvertBenchmark.Table(files);
}

if (args is ["--generate-scale", var count, ..] && Option("--model") is { } model)
{
    return ScaleBenchmark.Generate(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), model, Option("--output"));
}

if (args is ["--evaluate-scale", var patients, var codes, ..])
{
    var culture = System.Globalization.CultureInfo.InvariantCulture;
    return ScaleBenchmark.Evaluate(int.Parse(patients, culture), int.Parse(codes, culture), args.Contains("--shards"), Option("--output"));
}

if (args is ["--scale-fixture", var fixture, var fixturePatients, var fixtureCodes])
{
    var culture = System.Globalization.CultureInfo.InvariantCulture;
    return ScaleBenchmark.Fixture(fixture, int.Parse(fixturePatients, culture), int.Parse(fixtureCodes, culture));
}

if (args is ["--scale-table", .. var scaleFiles])
{
    return ScaleBenchmark.Table(scaleFiles);
}

if (args is ["--stress", var mode, ..])
{
    int steps = args.Length > 2 && int.TryParse(args[2], out int s) ? s : 20_000;
    return OptimizerStress.Run(mode, steps, args.Contains("--quiet"));
}

BenchmarkSwitcher.FromAssembly(typeof(InProcessConfig).Assembly).Run(args, new InProcessConfig());
return 0;

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
