using System.Diagnostics;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>The timing the stage profiles share: each call in its own dispose scope, median after warm-ups.</summary>
internal static class ProfileTiming
{
    /// <summary>Milliseconds of <paramref name="run"/>: the median of 10 calls after 2 warm-ups.</summary>
    public static double MedianMilliseconds(Action run)
    {
        var times = new List<double>();
        for (int i = 0; i < 12; i++)
        {
            using var scope = NewDisposeScope();
            var watch = Stopwatch.StartNew();
            run();
            if (i >= 2)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return (times[4] + times[5]) / 2;
    }
}
