using BenchmarkDotNet.Running;
using EhrSynth.Generators.Benchmarks;

// Run all:  dotnet run -c Release --project benchmarks/EhrSynth.Generators.Benchmarks -- --filter '*'
// One:      dotnet run -c Release --project benchmarks/EhrSynth.Generators.Benchmarks -- --filter '*MimicLoad*'
// Stress: dotnet run -c Release --project benchmarks/EhrSynth.Generators.Benchmarks -- --stress stock|guarded|rooted [steps] [--quiet]
if (args is ["--stress", var mode, ..])
{
    int steps = args.Length > 2 && int.TryParse(args[2], out int s) ? s : 20_000;
    return OptimizerStress.Run(mode, steps, args.Contains("--quiet"));
}

BenchmarkSwitcher.FromAssembly(typeof(InProcessConfig).Assembly).Run(args, new InProcessConfig());
return 0;
