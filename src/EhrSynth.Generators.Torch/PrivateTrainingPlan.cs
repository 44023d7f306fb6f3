using EhrSynth.Generators.Privacy;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// A private fit's settings, fixed before training: sampling rate q = batch / N (the expected batch of
/// <see cref="DifferentialPrivacyOptions.ExpectedBatchSize"/>, or the family's), ⌈N / batch⌉ steps per epoch, σ (given, or
/// calibrated so that all planned steps, with the prevalence release if there is one, spend the target ε), and the
/// phase whose step is DP-SGD.
/// </summary>
internal sealed class PrivateTrainingPlan
{
    private readonly DifferentialPrivacyOptions _privacy;

    public PrivateTrainingPlan(DifferentialPrivacyOptions privacy, PrivateObjective objective, TrainingPhase phase, int patients)
    {
        _privacy = privacy;
        int batch = ExpectedBatch(privacy, phase);
        SampleRate = (double)batch / patients;
        int stepsPerEpoch = (patients + batch - 1) / batch;
        long plannedSteps = (long)stepsPerEpoch * phase.Epochs;
        NoiseMultiplier = privacy.NoiseMultiplier ?? NoiseCalibration.NoiseMultiplier(privacy.TargetEpsilon!.Value, privacy.Delta, SampleRate, plannedSteps, alreadySpent: SpentBeforeTraining());
        Phase = phase with
        {
            Name = "dp-sgd",
            BatchSize = batch,
            DropLast = false,
            StepsPerEpoch = stepsPerEpoch,
            Step = context =>
            {
                var (loss, batch, ghost) = DpSgd.Step(objective, context, SampleRate, NoiseMultiplier, privacy.ClipNorm);
                return new StepResult(new Dictionary<string, double> { ["loss"] = batch == 0 ? 0 : loss, ["batch"] = batch, ["ghost_clipping"] = ghost ? 1 : 0 });
            },
        };
        PlannedSteps = plannedSteps;
    }

    /// <summary>DP-SGD's expected Poisson batch: <see cref="DifferentialPrivacyOptions.ExpectedBatchSize"/>, or the family's batch.</summary>
    public static int ExpectedBatch(DifferentialPrivacyOptions privacy, TrainingPhase phase) => privacy.ExpectedBatchSize ?? phase.BatchSize;

    /// <summary>The phase to train instead of the family's own.</summary>
    public TrainingPhase Phase { get; }

    /// <summary>q.</summary>
    public double SampleRate { get; }

    /// <summary>σ.</summary>
    public double NoiseMultiplier { get; }

    /// <summary>Steps the plan runs in all.</summary>
    public long PlannedSteps { get; }

    /// <summary>The guarantee of the planned steps: a finished fit ran them all (early stopping is off under privacy; a resumed fit ran the first ones before its interruption).</summary>
    public PrivacyGuarantee Guarantee()
    {
        var accountant = SpentBeforeTraining();
        accountant.Compose(NoiseMultiplier, SampleRate, PlannedSteps);
        var (epsilon, order) = accountant.GetEpsilon(_privacy.Delta);
        return new PrivacyGuarantee(epsilon, _privacy.Delta, NoiseMultiplier, SampleRate, PlannedSteps, _privacy.ClipNorm, order,
            _privacy.PrevalenceNoiseMultiplier, _privacy.PrevalenceNoiseMultiplier is null ? null : _privacy.PrevalenceCodeCap);
    }

    /// <summary>The prevalences released before training (<see cref="DifferentialPrivacyOptions.PrevalenceNoiseMultiplier"/>), or nothing.</summary>
    private RdpAccountant SpentBeforeTraining()
    {
        var accountant = new RdpAccountant();
        if (_privacy.PrevalenceNoiseMultiplier is { } z)
        {
            accountant.ComposeGaussian(z);
        }

        return accountant;
    }
}
