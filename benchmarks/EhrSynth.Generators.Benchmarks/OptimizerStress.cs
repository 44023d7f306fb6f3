using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using EhrSynth.Generators.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// The Scalar finalizer race of TorchSharp 0.107 (dotnet/TorchSharp#1434, #1496), provoked: many Adam steps over
/// medGAN-sized parameters while another thread forces full collections. Modes: <c>stock</c> (TorchSharp's Adam),
/// <c>guarded</c> (TorchSharp's Adam inside a no-GC region with a full collection every 64 steps — this library's
/// workaround until it had its own optimizer), <c>rooted</c> (the Torch layer's Adam). Prints the time per step, the
/// resident memory over the run, and a checksum of the weights (equal for every mode that survives, and to a quiet run).
/// <code>dotnet run -c Release --project benchmarks/EhrSynth.Generators.Benchmarks -- --stress rooted [steps] [--quiet]</code>
/// </summary>
public static class OptimizerStress
{
    public static int Run(string mode, int steps, bool quiet)
    {
        using var scope = NewDisposeScope();
        torch.random.manual_seed(1);
        var parameters = new[] { (881L, 128L), (128L, 881L), (128L, 128L), (1762L, 256L), (256L, 128L) }
            .Select(s => new Parameter(randn(s.Item1, s.Item2).mul_(RootedScalars.One))).ToArray();
        OptimizerHelper optimizer = mode == "rooted"
            ? new Torch.Optimizers.Adam(parameters, lr: 2e-4, beta1: 0.5, weightDecay: 1e-3)
            : new TorchSharp.Modules.Adam(parameters, lr: 2e-4, beta1: 0.5, weight_decay: 1e-3);
        using var stop = new CancellationTokenSource();
        var collector = quiet ? Task.CompletedTask : Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        long rssStart = Environment.WorkingSet, rssMax = rssStart;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            using (var step = NewDisposeScope())
            {
                foreach (var p in parameters)
                {
                    p.grad?.zero_();
                }

                using var k = tensor((float)(1 + (i % 7)));
                var loss = parameters.Select(p => p.mul(k).sin().sum()).Aggregate((a, b) => a.add(b, RootedScalars.One));
                loss.backward();
                switch (mode)
                {
                    case "rooted":
                        ((Torch.Optimizers.Adam)optimizer).Step();
                        break;
                    case "guarded":
                        GuardedStep(optimizer, i);
                        break;
                    default:
                        optimizer.step();
                        break;
                }
            }

            if (i % 500 == 0)
            {
                rssMax = Math.Max(rssMax, Environment.WorkingSet);
            }
        }

        double perStep = watch.Elapsed.TotalMilliseconds / steps;
        stop.Cancel();
        collector.Wait();
        double checksum = parameters.Sum(p => p.sum().item<float>());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mode {mode}{(quiet ? " (quiet)" : " (collections from another thread)")}: {steps} steps survived, {perStep:F3} ms per step, RSS {rssStart / 1e6:F0} MB at start, {rssMax / 1e6:F0} MB max, {Environment.WorkingSet / 1e6:F0} MB at end, checksum {checksum:R}"));
        return 0;
    }

    private static long _guardedSteps;

    /// <summary>The workaround this library used before it had rooted optimizers (kept here only to measure it).</summary>
    private static void GuardedStep(OptimizerHelper optimizer, int step)
    {
        if (Interlocked.Increment(ref _guardedSteps) % 64 == 0)
        {
            GC.Collect();
        }

        bool region;
        try
        {
            region = GC.TryStartNoGCRegion(64L << 20);
        }
        catch (InvalidOperationException)
        {
            region = false;
        }

        try
        {
            optimizer.step();
        }
        finally
        {
            if (region && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }

        _ = step;
    }
}
