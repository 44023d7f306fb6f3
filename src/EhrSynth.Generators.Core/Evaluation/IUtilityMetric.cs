using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Evaluation;

/// <summary>
/// A measure of how close synthetic data is to real data, or of how much it reveals about it. Metrics are
/// composed by the consumer; <c>MetricSuite</c> in the Metrics package runs a list of them.
/// </summary>
public interface IUtilityMetric
{
    /// <summary>A short name, for example <c>"Dimension-wise distribution"</c>.</summary>
    string Name { get; }

    /// <summary>Which values of the headline are better.</summary>
    MetricDirection Direction { get; }

    /// <summary>Compares <paramref name="synthetic"/> with <paramref name="real"/>.</summary>
    /// <param name="real">The real reference data (the holdout when <see cref="EvaluationContext.Train"/> is set).</param>
    /// <param name="synthetic">The data to judge, aligned to <paramref name="real"/>'s vocabulary by code string.</param>
    /// <param name="context">Training data, seed and generation report, for metrics that need them.</param>
    /// <param name="cancellationToken">Checked between units of work.</param>
    /// <exception cref="ArgumentException">A dataset is empty, or a needed part of the context is missing.</exception>
    MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default);
}
