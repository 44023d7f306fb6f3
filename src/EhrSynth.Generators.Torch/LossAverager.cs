using System.Diagnostics;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Torch;

/// <summary>Averages step losses and diagnostics over a window of steps and measures the throughput in the steps' unit.</summary>
internal sealed class LossAverager
{
    private readonly Dictionary<string, double> _losses = [];
    private readonly Dictionary<string, double> _diagnostics = [];
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private int _steps;
    private long _processed;

    /// <summary>The unit of the last step.</summary>
    public TrainingUnit Unit { get; private set; } = TrainingUnit.Samples;

    public void Add(StepResult result, int batchSize)
    {
        Sum(_losses, result.Losses);
        Sum(_diagnostics, result.Diagnostics);
        _steps++;
        _processed += result.Processed ?? batchSize;
        Unit = result.Unit;
    }

    /// <summary>The window as a progress report.</summary>
    public TrainingProgress Progress(TrainingPhase phase, int epoch, long step, long totalSteps, TimeSpan elapsed, double? score, bool epochEnd) =>
        new(phase.Name, epoch, phase.Epochs, step, totalSteps, Mean(_losses), elapsed, Throughput(), score, Unit, epochEnd)
        {
            Diagnostics = Mean(_diagnostics),
        };

    /// <summary>Losses, then diagnostics, as the epoch log line shows them.</summary>
    public string Format() => string.Join(", ", Mean(_losses).Concat(Mean(_diagnostics)).Select(kv => FormattableString.Invariant($"{kv.Key} {kv.Value:G4}")));

    private double Throughput() => _processed / Math.Max(1e-9, _watch.Elapsed.TotalSeconds);

    private Dictionary<string, double> Mean(Dictionary<string, double> sums) => sums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(1, _steps));

    private static void Sum(Dictionary<string, double> sums, IReadOnlyDictionary<string, double>? values)
    {
        if (values is null)
        {
            return;                                                  // no diagnostics: nothing to allocate per step
        }

        foreach (var (key, value) in values)
        {
            sums[key] = sums.GetValueOrDefault(key) + value;
        }
    }
}
