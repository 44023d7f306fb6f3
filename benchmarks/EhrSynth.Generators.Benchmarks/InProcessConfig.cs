using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// In-process runs: BenchmarkDotNet's generated out-of-process projects skip Directory.Build.targets (and with it the
/// libLibTorchSharp fix) and would copy libtorch again per benchmark. A short run keeps the whole suite in minutes.
/// </summary>
public sealed class InProcessConfig : ManualConfig
{
    public InProcessConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumnProvider(DefaultColumnProviders.Instance);
        AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub);
        AddExporter(BenchmarkDotNet.Exporters.Json.JsonExporter.Brief);           // the results file committed beside a published table
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
