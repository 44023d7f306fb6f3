using EhrSynth.Generators.Torch;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Diffusion.Edm;
using EhrSynth.Generators.Diffusion.Modules;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Diffusion;

/// <summary>
/// EHRDiff (sczzz3/EHRDiff, v2 by default; v1 with <see cref="EhrDiffOptions.Version"/>): an EDM diffusion model (Karras et al. 2022) of binary records kept as 0/1 floats —
/// what the paper calls its "DDPM" baseline. Training draws ln σ ~ N(P_mean, P_std²) and minimises
/// λ(σ)·‖D(x + σn; σ) − x‖² with the EDM preconditioning; sampling runs the deterministic Heun solver over
/// <see cref="EhrDiffOptions.SamplerSteps"/> noise levels from σ_max to σ_min (63 network evaluations by default), or
/// the stochastic EDM sampler with S_churn &gt; 0, clips to [0, 1] and binarises.
/// </summary>
public sealed class EhrDiffGenerator : DiffusionGeneratorBase<EhrDiffOptions>
{
    /// <summary>The family name in saved manifests.</summary>
    public const string FamilyName = "EHRDiff";

    /// <summary>Creates an unfitted EHRDiff model.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid; every problem is listed.</exception>
    public EhrDiffGenerator(EhrDiffOptions? options = null, ILogger<EhrDiffGenerator>? logger = null)
        : base(options ?? new EhrDiffOptions(), logger)
    {
    }

    /// <summary>The family's description: names, presets (quick, long, paper), create, load and describe.</summary>
    public static GeneratorFamily<EhrDiffOptions> Family { get; } = new()
    {
        Name = "ehrdiff",
        DisplayName = FamilyName,
        Summary = "EHRDiff: an EDM diffusion model of binary records (the paper's \"DDPM\" row), faithful to sczzz3/EHRDiff.",
        Privacy = DiffusionPrivacy.Capability,
        Cohorts = CohortMethod.Inpainting,
        Studies = [EhrDiffVersionStudy.Study],
        PresetFactories = new Dictionary<string, Func<int?, EhrDiffOptions>>
        {
            [GeneratorFamily.Quick] = EhrDiffOptions.Quick,
            [GeneratorFamily.Long] = EhrDiffOptions.Long,
            [GeneratorFamily.Paper] = EhrDiffOptions.Paper,
        },
        Creator = (o, log) => new EhrDiffGenerator(o, log?.CreateLogger<EhrDiffGenerator>()),
        Loader = (folder, vocabulary, device, log, ct) => Load(folder, vocabulary, device, log?.CreateLogger<EhrDiffGenerator>(), ct),
        Describer = o => FormattableString.Invariant($"EHRDiff (EDM): {(o.Version == EhrDiffVersion.V1 ? "v1, " : "")}{string.Join('/', o.HiddenDims)} denoiser, {o.Epochs} epochs, batch {o.BatchSize}, {o.SamplerSteps}-level Heun sampler{(o.CalibrateThresholds ? ", per-code thresholds matched to the training prevalences" : "")}"),
        EpochSetter = (o, e) => o.Epochs = e,
        PaperCpuHours = 5_000 * 56 * 0.2 / 3600,
    };

    private readonly List<(long Step, double Pearson)> _v1Selections = [];
    private WeightSnapshot? _v1Best;
    private double _v1BestPearson = double.NegativeInfinity;

    /// <inheritdoc />
    public override string Name => FamilyName;

    private bool IsV1 => Options.Version == EhrDiffVersion.V1;

    /// <inheritdoc />
    protected internal override bool TimeInEveryBlock => !IsV1;

    /// <inheritdoc />
    protected internal override bool UsesEma => !IsV1;

    /// <inheritdoc />
    protected internal override bool DropsLastBatch => IsV1;

    /// <summary>The Pearson correlation of the weights v1 keeps (−∞ before a v1 fit has sampled).</summary>
    internal double V1BestPearson => _v1BestPearson;

    /// <summary>Every v1 selection sample of the last fit: its step and Pearson correlation.</summary>
    internal IReadOnlyList<(long Step, double Pearson)> V1Selections => _v1Selections;

    /// <inheritdoc />
    protected override void ReleaseModel()
    {
        _v1Best?.Dispose();
        (_v1Best, _v1BestPearson) = (null, double.NegativeInfinity);
        _v1Selections.Clear();
        base.ReleaseModel();
    }

    /// <summary>
    /// v1's selection: every <see cref="EhrDiffOptions.V1SelectionEverySteps"/> steps and at the last, sample as many
    /// records as the training set (clipped, thresholded at 0.5) and keep the weights whose per-code prevalences
    /// correlate best with the training data's.
    /// </summary>
    protected internal override void OnStepEnd(StepContext step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (!IsV1 || (step.Step % Options.V1SelectionEverySteps != 0 && step.Step != step.TotalSteps))
        {
            return;
        }

        double pearson = PrevalencePearson(step.Data, SeedScope.Derive(FitSeed, -13, step.Step));
        _v1Selections.Add((step.Step, pearson));
        if (pearson > _v1BestPearson || _v1Best is null)
        {
            _v1Best?.Dispose();
            _v1Best = SnapshotWeights();
            _v1BestPearson = pearson;
        }
    }

    /// <inheritdoc />
    protected override void OnFitEnd(EhrDataset train)
    {
        if (_v1Best is { } best)
        {
            RestoreWeights(best);
            best.Dispose();
            _v1Best = null;
        }

        base.OnFitEnd(train);
    }

    /// <summary>Pearson correlation of per-code prevalence: as many thresholded samples as <paramref name="data"/> has patients, against it.</summary>
    private double PrevalencePearson(EhrDataset data, long seed)
    {
        using var rng = new Generator((ulong)seed, Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Ema.eval();
        var counts = zeros([data.CodeCount], dtype: ScalarType.Float64, device: Device);          // [D]
        for (int done = 0; done < data.PatientCount; done += Options.GenerationBatchSize)
        {
            int b = Math.Min(Options.GenerationBatchSize, data.PatientCount - done);
            using var batch = NewDisposeScope();
            var binary = SampleValues(b, rng, CancellationToken.None).ClampTo(0, 1).round();        // [b, D] rint(clip(x, 0, 1))
            counts.add_(binary.sum([0]).to(ScalarType.Float64), RootedScalars.One);
        }

        Net.train();
        double[] synthetic = [.. counts.cpu().data<double>().Select(c => c / data.PatientCount)];
        double[] real = data.CodePrevalence();
        return Pearson(synthetic, real);
    }

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            (sxy, sxx, syy) = (sxy + ((x[i] - mx) * (y[i] - my)), sxx + ((x[i] - mx) * (x[i] - mx)), syy + ((y[i] - my) * (y[i] - my)));
        }

        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NegativeInfinity;
    }

    /// <summary>Loads a model saved with <c>Save</c>.</summary>
    /// <exception cref="InvalidDataException">The folder holds another model or does not match.</exception>
    public static EhrDiffGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILogger<EhrDiffGenerator>? logger = null, CancellationToken cancellationToken = default) =>
        LoadGenerator(folder, FamilyName, o => new EhrDiffGenerator(o, logger), expectedVocabulary, device, cancellationToken);

    /// <summary>D(x; σ) = c_skip x + c_out F(c_in x, ¼ ln σ) for σ of shape <c>[B, 1]</c>.</summary>
    internal Tensor Denoise(DenoiserNet net, Tensor x, Tensor sigma)
    {
        double sd = Options.SigmaData;
        var s2 = sigma.Square().Plus(sd * sd);                                // [B, 1]
        var cSkip = s2.reciprocal().Times(sd * sd);                           // [B, 1]
        var cOut = sigma.Times(sd) / s2.sqrt();                               // [B, 1]
        var cIn = s2.rsqrt();                                                 // [B, 1]
        var cNoise = sigma.log().flatten().Over(4);                           // [B]
        return (cSkip * x).Plus(cOut * net.call(cIn * x, cNoise));            // [B, D]
    }

    /// <summary>The sampler's denoised estimate at noise level <paramref name="sigma"/> from the EMA weights; v1 clamps it to [0, 1].</summary>
    internal Tensor SamplerDenoise(Tensor x, double sigma, int b)
    {
        var denoised = Denoise(Ema, x, RootedScalars.Filled([b, 1], sigma, Device));                 // [b, D]
        return IsV1 ? denoised.ClampTo(0, 1) : denoised;
    }

    /// <inheritdoc />
    protected internal override Tensor Loss(DenoiserNet net, Tensor x, Generator rng) => WeightedSquaredErrors(net, x, rng).mean();       // []

    /// <inheritdoc />
    protected internal override Tensor PatientLosses(DenoiserNet net, Tensor x, Generator rng) => WeightedSquaredErrors(net, x, rng).mean([1]);   // [B]

    /// <summary>EDM's λ(σ)-weighted squared denoising error of every code <c>[B, D]</c>, at a log-normal noise level per patient.</summary>
    private Tensor WeightedSquaredErrors(DenoiserNet net, Tensor x, Generator rng)
    {
        long b = x.shape[0];
        double sd = Options.SigmaData;
        var lnSigma = randn([b, 1], device: Device, generator: rng).Times(Options.PStd).Plus(Options.PMean); // [B, 1]
        var sigma = lnSigma.exp();                                                                   // [B, 1]
        var n = randn(x.shape, device: Device, generator: rng) * sigma;                              // [B, D]
        var denoised = Denoise(net, x.Plus(n), sigma);                                               // [B, D]
        var weight = sigma.Square().Plus(sd * sd) / sigma.Times(sd).Square();                       // [B, 1]
        return weight * denoised.Minus(x).Square();                                                  // [B, D]
    }

    /// <inheritdoc />
    protected internal override Inpainting Known(CohortCodes cohort) => new(cohort, ModelVocabulary.Count, present: 1, absent: 0, Device);

    /// <inheritdoc />
    protected internal override Tensor SampleValues(int b, Generator rng, CancellationToken cancellationToken, Inpainting? known = null)
    {
        var o = Options;
        var levels = EdmNoiseLevels.Create(o.SamplerSteps, o.SigmaMin, o.SigmaMax, o.Rho);
        int d = ModelVocabulary.Count;
        var x = randn([b, d], device: Device, generator: rng).Times(levels[0]);                      // [b, D]
        for (int i = 0; i < o.SamplerSteps; i++)
        {
            double tCur = levels[i], tNext = levels[i + 1];
            int rounds = known is null ? 1 : o.InpaintingResamples;
            for (int u = 0; u < rounds; u++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                if (known is not null)
                {
                    x = Swap(x, known.Impose(x, 1, tCur, rng));                                              // [b, D]: y + σ ε on the known codes
                }

                var xNext = Step(x, i, tCur, tNext, b, rng);                                                 // [b, D]
                if (u < rounds - 1 && tNext > 0)
                {
                    // RePaint's resampling: back to the step's level, so the step is taken again from a fresh draw.
                    xNext = xNext.Plus(randn(x.shape, device: Device, generator: rng).Times(Math.Sqrt((tCur * tCur) - (tNext * tNext))));
                }

                x = Swap(x, xNext);
                if (tNext == 0)
                {
                    break;
                }
            }
        }

        return known is null ? x : known.Impose(x, 1, 0, rng);                                      // [b, D], ≈ 0/1 (known codes exact)
    }

    /// <summary>One step of EDM's sampler (Algorithm 2) from level <paramref name="tCur"/> to <paramref name="tNext"/>: optional churn, Euler, Heun's correction except into 0.</summary>
    private Tensor Step(Tensor x, int i, double tCur, double tNext, int b, Generator rng)
    {
        var o = Options;

        // Optional churn: raise the noise level a little and add matching noise.
        double gamma = o.SChurn > 0 && tCur >= o.SMin && tCur <= o.SMax ? Math.Min(o.SChurn / o.SamplerSteps, Math.Sqrt(2) - 1) : 0;
        double tHat = tCur + (gamma * tCur);
        var xHat = gamma > 0
            ? x.Plus(randn(x.shape, device: Device, generator: rng).Times(Math.Sqrt((tHat * tHat) - (tCur * tCur)) * o.SNoise))
            : x;                                                                                     // [b, D]

        var dCur = xHat.Minus(SamplerDenoise(xHat, tHat, b)).Over(tHat);                            // [b, D]
        var xNext = xHat.Plus(dCur.Times(tNext - tHat));                                            // Euler step
        if (i < o.SamplerSteps - 1)
        {
            var dPrime = xNext.Minus(SamplerDenoise(xNext, tNext, b)).Over(tNext);
            xNext = xHat.Plus(dCur.Plus(dPrime).Times(0.5 * (tNext - tHat)));                      // Heun correction
        }

        return xNext;                                                                                // [b, D]
    }

    /// <summary>Replaces <paramref name="old"/> by <paramref name="next"/> (moved out of the step's dispose scope), disposing the old.</summary>
    private static Tensor Swap(Tensor old, Tensor next)
    {
        var kept = next.MoveToOuterDisposeScope();
        if (!ReferenceEquals(old, next))
        {
            old.Dispose();
        }

        return kept;
    }
}
