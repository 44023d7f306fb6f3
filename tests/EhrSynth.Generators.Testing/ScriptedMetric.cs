using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;

namespace EhrSynth.Generators.Testing;

/// <summary>A metric that returns scripted values, one per call (lower is better), and counts its calls: for testing model selection.</summary>
public sealed class ScriptedMetric(params double[] values) : IUtilityMetric
{
    public int Calls { get; private set; }

    public string Name => "Scripted";

    public MetricDirection Direction => MetricDirection.LowerIsBetter;

    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        double value = values[Math.Min(Calls, values.Length - 1)];
        Calls++;
        return new MetricResult(Name, [new MetricValue("score", value, MetricDirection.LowerIsBetter, "a scripted score")]);
    }
}
