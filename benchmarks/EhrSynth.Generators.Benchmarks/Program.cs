using BenchmarkDotNet.Running;
using EhrSynth.Generators.Benchmarks;

// Run all:  dotnet run -c Release --project benchmarks/EhrSynth.Generators.Benchmarks -- --filter '*'
// One:      dotnet run -c Release --project benchmarks/EhrSynth.Generators.Benchmarks -- --filter '*MimicLoad*'
BenchmarkSwitcher.FromAssembly(typeof(InProcessConfig).Assembly).Run(args, new InProcessConfig());
