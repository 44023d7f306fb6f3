using BenchmarkDotNet.Attributes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// One Adam step over medGAN-sized parameters (≈ 0.73 M, D = 881): TorchSharp's own Adam, the same inside the no-GC
/// guard this library used before (a region per step and a full collection every 64 steps), and the Torch layer's
/// rooted Adam. The gradients are fixed, so only the optimizer is timed.
/// </summary>
[Config(typeof(InProcessConfig))]
public class OptimizerStepBenchmark
{
    private Parameter[] _parameters = [];
    private OptimizerHelper? _optimizer;
    private long _steps;

    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    [Params("stock", "guarded", "rooted")]
    public string Optimizer { get; set; } = "rooted";

    public static IEnumerable<string> Devices => BenchmarkDevices.All;

    [GlobalSetup]
    public void Setup()
    {
        torch.random.manual_seed(1);
        var device = torch.device(Device);
        _parameters = [.. new[] { (881L, 128L), (128L, 881L), (128L, 128L), (1762L, 256L), (256L, 128L) }
            .Select(s => new Parameter(randn(s.Item1, s.Item2, device: device)))];
        foreach (var p in _parameters)
        {
            using var loss = p.sum();
            loss.backward();
        }

        _optimizer = Optimizer == "rooted"
            ? new Torch.Optimizers.Adam(_parameters, lr: 2e-4, beta1: 0.5, weightDecay: 1e-3)
            : new TorchSharp.Modules.Adam(_parameters, lr: 2e-4, beta1: 0.5, weight_decay: 1e-3);
    }

    [Benchmark]
    public void Step()
    {
        using var scope = NewDisposeScope();
        switch (_optimizer)
        {
            case Torch.Optimizers.Adam rooted:
                rooted.Step();
                break;
            case { } stock when Optimizer == "guarded":
                if (++_steps % 64 == 0)
                {
                    GC.Collect();
                }

                bool region = GC.TryStartNoGCRegion(64L << 20);
                try
                {
                    stock.step();
                }
                finally
                {
                    if (region && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
                    {
                        GC.EndNoGCRegion();
                    }
                }

                break;
            case { } stock:
                stock.step();
                break;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer?.Dispose();
        foreach (var p in _parameters)
        {
            p.Dispose();
        }
    }
}
