using System.Diagnostics;

namespace EhrSynth.Generators.Torch;

/// <summary>Averages step losses over a window of steps and measures the throughput in the steps' unit.</summary>
internal sealed class LossAverager
{
    private readonly Dictionary<string, double> _sums = [];
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private int _steps;
    private long _processed;

    /// <summary>The unit of the last step (samples or tokens).</summary>
    public string Unit { get; private set; } = StepResult.Samples;

    public void Add(StepResult result, int batchSize)
    {
        foreach (var (key, value) in result.Losses)
        {
            _sums[key] = _sums.GetValueOrDefault(key) + value;
        }

        _steps++;
        _processed += result.Processed ?? batchSize;
        Unit = result.Unit;
    }

    public Dictionary<string, double> Mean() => _sums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(1, _steps));

    public double Throughput() => _processed / Math.Max(1e-9, _watch.Elapsed.TotalSeconds);

    public string Format() => string.Join(", ", Mean().Select(kv => FormattableString.Invariant($"{kv.Key} {kv.Value:G4}")));
}
