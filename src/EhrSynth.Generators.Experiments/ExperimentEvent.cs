using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Metrics.Suite;

namespace EhrSynth.Generators.Experiments;

/// <summary>A progress event of a comparison.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Family">The family's display name, or empty.</param>
/// <param name="Seed">The seed being run.</param>
/// <param name="Message">A one-line description (empty for training and metric ticks).</param>
/// <param name="Training">Training progress, during <see cref="ExperimentStage.Train"/>.</param>
/// <param name="Metric">Metric progress, during <see cref="ExperimentStage.Evaluate"/>.</param>
public sealed record ExperimentEvent(ExperimentStage Stage, string Family, int Seed, string Message, TrainingProgress? Training = null, MetricProgress? Metric = null);
