namespace EhrSynth.Generators.Torch;

/// <summary>One stage of a fit (for example autoencoder pre-training, then the GAN), with the step that trains it.</summary>
/// <param name="Name">Phase name, shown in progress and logs (for example <see cref="Generation.TrainingPhaseName.PretrainAutoencoder"/>).</param>
/// <param name="Epochs">Passes over the training data.</param>
/// <param name="BatchSize">Patients per optimisation step.</param>
/// <param name="Step">One optimisation step of this phase. Runs inside a dispose scope; returns its losses.</param>
/// <param name="DropLast">Drop the last, incomplete batch of an epoch.</param>
/// <param name="StepsPerEpoch">
/// Steps per epoch when a step is not one batch of the data (for example medGAN's 2 discriminator batches per step);
/// <see langword="null"/> for ⌈N / batch⌉ (or ⌊N / batch⌋ with <paramref name="DropLast"/>).
/// </param>
public sealed record TrainingPhase(Generation.TrainingPhaseName Name, int Epochs, int BatchSize, Func<StepContext, StepResult> Step, bool DropLast = false, int? StepsPerEpoch = null)
{
    /// <summary>Steps per epoch for <paramref name="patients"/> training patients.</summary>
    public int Steps(int patients) => StepsPerEpoch ?? Math.Max(1, DropLast ? patients / BatchSize : (patients + BatchSize - 1) / BatchSize);
}
