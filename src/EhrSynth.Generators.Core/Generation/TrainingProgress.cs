namespace EhrSynth.Generators.Generation;

/// <summary>A progress report from a training run.</summary>
/// <param name="Phase">What is being trained, for example <c>"train"</c>, <c>"pretrain-autoencoder"</c>.</param>
/// <param name="Epoch">Current epoch, 1-based.</param>
/// <param name="TotalEpochs">Epochs in this phase.</param>
/// <param name="Step">Optimisation steps done in this phase.</param>
/// <param name="TotalSteps">Steps planned for this phase.</param>
/// <param name="Losses">Loss values and other statistics by name (for example <c>loss</c>, <c>d_loss</c>, <c>d_accuracy</c>), averaged since the last report.</param>
/// <param name="Elapsed">Wall time since the phase started.</param>
/// <param name="SamplesPerSecond">Training throughput since the last report (patients, or tokens for the LLM: see <paramref name="Unit"/>).</param>
/// <param name="ValidationScore">The held-out score of this epoch, when model selection is on.</param>
/// <param name="Unit">What <paramref name="SamplesPerSecond"/> counts: <c>"samples"</c> or <c>"tokens"</c>.</param>
/// <param name="IsEpochEnd">Whether this report closes an epoch (after its checkpoint, if any, was written).</param>
public readonly record struct TrainingProgress(
    string Phase,
    int Epoch,
    int TotalEpochs,
    long Step,
    long TotalSteps,
    IReadOnlyDictionary<string, double> Losses,
    TimeSpan Elapsed,
    double SamplesPerSecond,
    double? ValidationScore = null,
    string Unit = "samples",
    bool IsEpochEnd = false);
