using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Metrics.Suite;

namespace EhrSynth.Pipeline;

/// <summary>A progress event of the pipeline.</summary>
/// <param name="Stage">"data", "train", "generate", "evaluate" or "report".</param>
/// <param name="Family">The family concerned, or empty.</param>
/// <param name="Message">A one-line description.</param>
/// <param name="Training">Training progress, during "train".</param>
/// <param name="Metric">Metric progress, during "evaluate".</param>
public sealed record PipelineEvent(string Stage, string Family, string Message, TrainingProgress? Training = null, MetricProgress? Metric = null);
