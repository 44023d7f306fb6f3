namespace EhrSynth.Generators.Generation;

/// <summary>A progress report from a training run.</summary>
/// <param name="Phase">What is being trained, for example <see cref="TrainingPhaseName.Train"/> or <see cref="TrainingPhaseName.PretrainAutoencoder"/>.</param>
/// <param name="Epoch">Current epoch, 1-based.</param>
/// <param name="TotalEpochs">Epochs in this phase.</param>
/// <param name="Step">Optimisation steps done in this phase.</param>
/// <param name="TotalSteps">Steps planned for this phase.</param>
/// <param name="Losses">The objectives by name (for example <c>loss</c>, <c>d_loss</c>, <c>g_loss</c>), averaged since the last report; a non-finite one stops the fit as diverged. Statistics that are not losses are in <see cref="Diagnostics"/>.</param>
/// <param name="Elapsed">Wall time since the phase started.</param>
/// <param name="Throughput">Training throughput since the last report, in <paramref name="Unit"/> per second (patients, or tokens for the LLM).</param>
/// <param name="ValidationScore">The held-out score of this epoch, when model selection is on.</param>
/// <param name="Unit">What <paramref name="Throughput"/> counts.</param>
/// <param name="IsEpochEnd">Whether this report closes an epoch (after its checkpoint, if any, was written).</param>
public readonly record struct TrainingProgress(
    TrainingPhaseName Phase,
    int Epoch,
    int TotalEpochs,
    long Step,
    long TotalSteps,
    IReadOnlyDictionary<string, double> Losses,
    TimeSpan Elapsed,
    double Throughput,
    double? ValidationScore = null,
    TrainingUnit Unit = TrainingUnit.Samples,
    bool IsEpochEnd = false)
{
    /// <summary>
    /// Statistics of the steps that are not objectives (for example <c>lr</c>, <c>d_accuracy</c>, <c>critic_steps</c>,
    /// DP-SGD's <c>batch</c>), averaged like <see cref="Losses"/>; never checked for divergence.
    /// </summary>
    public IReadOnlyDictionary<string, double> Diagnostics { get; init; } = new Dictionary<string, double>();
}
