using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
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

    /// <summary>
    /// Checks that the family and data allow DP-SGD (a per-patient objective, one phase, δ &lt; 1/N, a batch below N) and
    /// plans the private fit; every problem of the settings is listed in one error.
    /// </summary>
    /// <exception cref="NotSupportedException">The family has no per-patient objective or trains in several phases.</exception>
    /// <exception cref="ArgumentException">δ or the batch does not fit the training patients.</exception>
    public static PrivateTrainingPlan Create(string family, DifferentialPrivacyOptions privacy, PrivateObjective? objective, IReadOnlyList<TrainingPhase> phases, int patients)
    {
        if (objective is null || phases.Count != 1)
        {
            throw new NotSupportedException(
                $"{family} does not support differential privacy" +
                (objective is null ? "" : $": it trains in {phases.Count} phases ({string.Join(", ", phases.Select(p => p.Name))}), and DP-SGD replaces a single one") +
                ". The families whose description lists DP-SGD among its capabilities do (docs/privacy.md).");
        }

        var problems = new List<string>();
        if (privacy.Delta >= 1.0 / patients)
        {
            problems.Add($"Privacy.Delta {privacy.Delta:G3} is not below 1/N = {1.0 / patients:G3} for N = {patients:N0} training patients");
        }

        int batch = ExpectedBatch(privacy, phases[0]);
        if (batch >= patients)
        {
            problems.Add($"the batch size {batch:N0} is not below the {patients:N0} training patients, so Poisson sampling would not subsample");
        }

        return problems.Count == 0
            ? new PrivateTrainingPlan(privacy, objective, phases[0], patients)
            : throw new ArgumentException($"{family}: cannot train privately: {string.Join("; ", problems)}.");
    }

    /// <summary>
    /// The code prevalences released before training when <see cref="DifferentialPrivacyOptions.PrevalenceNoiseMultiplier"/>
    /// is set (charged to the guarantee), seeded like the rest of the fit so a resumed fit releases the same; otherwise
    /// <see langword="null"/>.
    /// </summary>
    public IReadOnlyList<double>? ReleasePrevalences(EhrDataset train, int seed) =>
        _privacy.PrevalenceNoiseMultiplier is { } z
            ? PrivatePrevalences.Release(train, z, _privacy.PrevalenceCodeCap, SeedScope.DeriveInt(seed, -17))
            : null;

    private PrivateTrainingPlan(DifferentialPrivacyOptions privacy, PrivateObjective objective, TrainingPhase phase, int patients)
    {
        _privacy = privacy;
        int batch = ExpectedBatch(privacy, phase);
        SampleRate = (double)batch / patients;
        int stepsPerEpoch = (patients + batch - 1) / batch;
        long plannedSteps = (long)stepsPerEpoch * phase.Epochs;
        NoiseMultiplier = privacy.NoiseMultiplier ?? NoiseCalibration.NoiseMultiplier(privacy.TargetEpsilon!.Value, privacy.Delta, SampleRate, plannedSteps, alreadySpent: SpentBeforeTraining());
        Phase = phase with
        {
            Name = TrainingPhaseName.DpSgd,
            BatchSize = batch,
            DropLast = false,
            StepsPerEpoch = stepsPerEpoch,
            Step = context =>
            {
                var (loss, batch, ghost) = DpSgd.Step(objective, context, SampleRate, NoiseMultiplier, privacy.ClipNorm);
                return new StepResult(new Dictionary<string, double> { ["loss"] = batch == 0 ? 0 : loss })
                {
                    Diagnostics = new Dictionary<string, double> { ["batch"] = batch, ["ghost_clipping"] = ghost ? 1 : 0 },
                };
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
