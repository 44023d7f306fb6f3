using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Diffusion.Modules;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Diffusion;

/// <summary>
/// What EDM and DDPM share: the denoiser MLP and its EMA copy, AdamW with warmup and cosine decay laid over the actual
/// number of steps, the EMA update after every step, per-code threshold calibration, cohort inpainting, and batched,
/// cancellable sampling from the EMA weights. An outside diffusion family subclasses it (docs/extending.md) and
/// implements the four hooks below: the loss, the per-patient loss for DP-SGD, the sampler and the cohort's known values.
/// </summary>
/// <typeparam name="TOptions">The family's options.</typeparam>
public abstract class DiffusionGeneratorBase<TOptions> : TorchGeneratorBase<TOptions>
    where TOptions : DiffusionOptions
{
    private DenoiserNet? _net;
    private DenoiserNet? _ema;
    private Torch.Optimizers.AdamW? _optimizer;
    private CodeCalibration? _cuts;

    private const string CutsStateKey = "codeThresholds";

    /// <summary>Validates and copies the options.</summary>
    protected DiffusionGeneratorBase(TOptions options, ILogger? logger)
        : base(options, logger)
    {
    }

    /// <summary>The trained network.</summary>
    protected internal DenoiserNet Net => _net!;

    /// <summary>The EMA network: what samples and what is saved as the model.</summary>
    protected internal DenoiserNet Ema => _ema!;

    /// <summary>The training loss of a batch <c>[B, D]</c> of 0/1 data, averaged over codes and patients.</summary>
    protected internal abstract Tensor Loss(DenoiserNet net, Tensor x, Generator rng);

    /// <summary>The training loss of each patient of a batch <c>[B, D]</c>, averaged over codes: <c>[B]</c> (for DP-SGD).</summary>
    protected internal abstract Tensor PatientLosses(DenoiserNet net, Tensor x, Generator rng);

    /// <summary>
    /// The sampler's raw output <c>[b, D]</c> for <paramref name="b"/> new records, on the data's 0/1 scale but not clipped,
    /// from the EMA network; with <paramref name="known"/>, the conditioned codes inpainted at every step.
    /// </summary>
    protected internal abstract Tensor SampleValues(int b, Generator rng, CancellationToken cancellationToken, Inpainting? known = null);

    /// <summary>The known values of a cohort on the family's data scale.</summary>
    protected internal abstract Inpainting Known(CohortCodes cohort);

    /// <inheritdoc />
    /// <remarks>Inpainting (<see cref="Inpainting"/>): the unconditional denoiser with the conditioned codes re-imposed at every reverse step.</remarks>
    public override CohortMethod CohortMethod => CohortMethod.Inpainting;

    /// <inheritdoc />
    protected override (EhrDataset Data, CohortReport Report) GenerateCohortCore(CohortCodes cohort, int count, int seed, CohortSamplingOptions sampling, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var data = RunSampling(seed, rng =>
        {
            _ema!.eval();
            using var known = Known(cohort);
            return DenseBatch.SampleRecords(ModelVocabulary, Options, count,
                b => known.Fix(Probabilities(SampleValues(b, rng, cancellationToken, known))),   // [b, D] in [0, 1]
                rng, progress, cancellationToken);
        }, cancellationToken);
        return (data, new CohortReport(cohort.Text, CohortMethod.Inpainting, count, count));
    }

    /// <summary>The per-code cuts fitted by <see cref="DiffusionOptions.CalibrateThresholds"/>; <see langword="null"/> without.</summary>
    internal IReadOnlyList<float>? CodeCuts => _cuts?.Values;

    /// <inheritdoc />
    protected override void BuildModel(int codeCount)
    {
        var o = Options;
        _net = new DenoiserNet(codeCount, o.HiddenDims, o.TimeEmbeddingDim, o.TimeHiddenDim, TimeInEveryBlock);
        _ema = new DenoiserNet(codeCount, o.HiddenDims, o.TimeEmbeddingDim, o.TimeHiddenDim, TimeInEveryBlock);
        _net.to(Device);
        _ema.to(Device);
        ExponentialMovingAverage.CopyInto(_ema, _net);
        foreach (var p in _ema.parameters())
        {
            p.requires_grad = false;
        }

        _optimizer = new Torch.Optimizers.AdamW(_net.parameters(), o.LearningRate, weightDecay: o.WeightDecay);
    }

    /// <summary>The denoiser and its EMA copy.</summary>
    protected override long? StateSize(int codeCount) =>
        2 * DenoiserNet.StateSize(codeCount, Options.HiddenDims, Options.TimeEmbeddingDim, Options.TimeHiddenDim, TimeInEveryBlock);

    /// <summary>Whether the time embedding enters every block of the denoiser (EHRDiff v2, DDPM) or only the first (EHRDiff v1).</summary>
    protected internal virtual bool TimeInEveryBlock => true;

    /// <summary>Whether sampling uses an exponential moving average of the weights (otherwise the EMA copy tracks the weights exactly).</summary>
    protected internal virtual bool UsesEma => true;

    /// <summary>Whether an epoch drops its last, incomplete batch.</summary>
    protected internal virtual bool DropsLastBatch => false;

    /// <summary>Called after every optimizer update (and EMA update) of a fit.</summary>
    protected internal virtual void OnStepEnd(StepContext step)
    {
    }

    /// <inheritdoc />
    protected override void ReleaseModel()
    {
        _optimizer?.Dispose();
        _net?.Dispose();
        _ema?.Dispose();
        (_optimizer, _net, _ema, _cuts) = (null, null, null, null);
    }

    /// <summary>
    /// Fits the per-code cuts (<see cref="DiffusionOptions.CalibrateThresholds"/>) from a calibration sample of the final
    /// EMA weights, to the training prevalences or, in a private fit, to the privately released ones.
    /// </summary>
    protected override void OnFitEnd(EhrDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!Options.CalibrateThresholds)
        {
            return;
        }

        using var rng = new Generator((ulong)SeedScope.DeriveInt(FitSeed, -11), Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _ema!.eval();

        // A private fit matches the privately released prevalences (the options refuse calibration without them).
        _cuts = CodeCalibration.Fit(CodeCalibrationMethod.QuantileCuts, Options.CalibrationSamples, Options.GenerationBatchSize,
            b => SampleValues(b, rng, CancellationToken.None), PrivatePrevalences ?? train.CodePrevalence());   // M samples [b, D] → D cuts
        Log.ThresholdsCalibrated(Logger, Name, Options.CalibrationSamples);
    }

    /// <inheritdoc />
    protected override void SaveState(Dictionary<string, JsonElement> state)
    {
        if (_cuts is not null)
        {
            state[CutsStateKey] = JsonSerializer.SerializeToElement(_cuts.Values);
        }
    }

    /// <inheritdoc />
    protected override void OnLoaded(GeneratorManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!Options.CalibrateThresholds || IsTrainingCheckpoint(manifest))
        {
            // A training checkpoint: the cuts are fitted when the fit ends.
            return;
        }

        _cuts = CodeCalibration.FromValues(CodeCalibrationMethod.QuantileCuts, ReadCodeArray(manifest, CutsStateKey, nameof(DiffusionOptions.CalibrateThresholds)));
    }

    /// <inheritdoc />
    protected override IReadOnlyList<TrainingPhase> Phases(int trainingPatients) =>
        [new TrainingPhase(TrainingPhaseName.Train, Options.Epochs, Options.BatchSize, TrainStep, DropLast: DropsLastBatch)];

    /// <summary>DP-SGD trains the denoiser on one patient's loss; the EMA copy averages the private weights (post-processing).</summary>
    protected override PrivateObjective CreatePrivateObjective() => new(
        (data, patient, rng) =>
        {
            _net!.train();
            return Loss(_net, DenseBatch.Build(data, [patient], Device), rng);   // [1, D] → []
        },
        [.. _net!.parameters()],
        step =>
        {
            SetLearningRate(step);
            Update(step);
        })
    {
        PatientLosses = (data, patients, rng) =>
        {
            _net!.train();
            return PatientLosses(_net, DenseBatch.Build(data, patients, Device), rng);   // [B, D] → [B]
        },
        Networks = [_net!],
    };

    private StepResult TrainStep(StepContext step)
    {
        double lr = SetLearningRate(step);
        _net!.train();
        var x = step.NextDenseBatch();                                      // [B, D]
        var loss = Loss(_net, x, step.Rng);                                 // []
        _optimizer!.zero_grad();
        loss.backward();
        Update(step);
        return new StepResult(new Dictionary<string, double> { ["loss"] = loss.item<float>() })
        {
            Diagnostics = new Dictionary<string, double> { ["lr"] = lr },
        };
    }

    /// <summary>Warm-up then cosine decay of the learning rate at this step; returns it.</summary>
    private double SetLearningRate(StepContext step)
    {
        long warmup = (long)Math.Round(Options.WarmupFraction * step.TotalSteps);
        double lr = LearningRateSchedule.WarmupCosine(step.Step, step.TotalSteps, warmup, Options.LearningRate);
        LearningRateSchedule.Apply(_optimizer!, lr);
        return lr;
    }

    /// <summary>The optimizer step from the stored gradients, then the EMA update.</summary>
    private void Update(StepContext step)
    {
        _optimizer!.Step();
        ExponentialMovingAverage.Update(_ema!, _net!, ExponentialMovingAverage.DecayAt(step.Step - 1, EmaDecayFor(step.TotalSteps)));
        OnStepEnd(step);
    }

    /// <summary>
    /// The EMA decay laid over the run: the configured decay, but averaging over at most a tenth of the run
    /// (1 − 10 / steps), so a short budget's EMA is not dominated by its first, untrained weights. Reference-length runs
    /// (hundreds of thousands of steps) keep 0.999.
    /// </summary>
    internal double EmaDecayFor(long totalSteps) => UsesEma ? Math.Min(Options.EmaDecay, 1 - (10.0 / Math.Max(10, totalSteps))) : 0;

    /// <inheritdoc />
    protected override double ValidationLoss(EhrDataset validation, Generator rng)
    {
        _ema!.eval();
        return SumInScopes(PatientBatches(validation, Options.BatchSize),
            batch => Loss(_ema, DenseBatch.Build(validation, batch, Device), rng).item<float>() * batch.Length) / validation.PatientCount;
    }

    /// <inheritdoc />
    protected override EhrDataset Sample(int count, Generator rng, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        _ema!.eval();
        return DenseBatch.SampleRecords(ModelVocabulary, Options, count,
            b => Probabilities(SampleValues(b, rng, cancellationToken)),             // [b, D] in [0, 1]
            rng, progress, cancellationToken);
    }

    /// <summary>Raw values <c>[b, D]</c> → what the binarisation reads: shifted by the per-code cuts when calibrated, clipped to [0, 1].</summary>
    private Tensor Probabilities(Tensor values) =>
        (_cuts is null ? values : _cuts.Apply(values, Options.Threshold)).ClampTo(0, 1);   // [b, D]

    /// <inheritdoc />
    protected override IEnumerable<(string Name, nn.Module Module)> Modules() =>
        [("denoiser", _net!), ("ema", _ema!)];

    /// <inheritdoc />
    protected override IEnumerable<(string Name, OptimizerHelper Optimizer)> Optimizers() =>
        [("adamw", _optimizer!)];
}
