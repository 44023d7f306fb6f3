using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Torch;

/// <summary>What one optimisation step reports: its objectives, other statistics, and how much it processed.</summary>
/// <param name="Losses">The objectives by name (for example <c>loss</c>, <c>d_loss</c>); each must be finite, or the fit stops as diverged.</param>
/// <param name="Processed">Items processed, for the throughput; <see langword="null"/> for the phase's batch size.</param>
/// <param name="Unit">What <paramref name="Processed"/> counts.</param>
public readonly record struct StepResult(IReadOnlyDictionary<string, double> Losses, long? Processed = null, TrainingUnit Unit = TrainingUnit.Samples)
{
    /// <summary>
    /// Statistics that are not objectives (the learning rate <c>lr</c>, <c>d_accuracy</c>, <c>critic_steps</c>): averaged
    /// and reported in <see cref="TrainingProgress.Diagnostics"/>, never checked for divergence.
    /// </summary>
    public IReadOnlyDictionary<string, double>? Diagnostics { get; init; }
}
