using EhrSynth.Generators.Torch;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Diffusion.Modules;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Diffusion.Ddpm;

/// <summary>
/// A classic DDPM (Ho et al. 2020) of binary records scaled to [−1, 1]: T = 1,000 steps with a linear β schedule,
/// ε-prediction with the simple MSE loss (or x₀-prediction, <see cref="DdpmOptions.Prediction"/>), EHRDiff's denoiser
/// with a timestep embedding; sampling is ancestral over all T steps or deterministic DDIM over fewer. The sample
/// x̂_0 ∈ [−1, 1] becomes probabilities (x̂_0 + 1)/2, clipped, then binarised.
/// </summary>
public sealed class DdpmGenerator : DiffusionGeneratorBase<DdpmOptions>
{
    /// <summary>The family name in saved manifests.</summary>
    public const string FamilyName = "DDPM";

    private NoiseSchedule _schedule = new(1, 1e-4, 1e-4);
    private Tensor? _alphaBars;

    /// <summary>Creates an unfitted DDPM.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid; every problem is listed.</exception>
    public DdpmGenerator(DdpmOptions? options = null, ILogger<DdpmGenerator>? logger = null)
        : base(options ?? new DdpmOptions(), logger)
    {
    }

    /// <summary>The family's description: names, presets (quick, long, paper), create, load and describe.</summary>
    public static GeneratorFamily<DdpmOptions> Family { get; } = new()
    {
        Name = "ddpm",
        DisplayName = FamilyName,
        Summary = "A classic DDPM (Ho et al. 2020) with ancestral and DDIM sampling on EHRDiff's denoiser; not in the paper.",
        Privacy = DiffusionPrivacy.Capability,
        Cohorts = CohortMethod.Inpainting,
        PresetFactories = new Dictionary<string, Func<int?, DdpmOptions>>
        {
            [GeneratorFamily.Quick] = DdpmOptions.Quick,
            [GeneratorFamily.Long] = DdpmOptions.Long,
            [GeneratorFamily.Paper] = DdpmOptions.Paper,
        },
        Creator = (o, log) => new DdpmGenerator(o, log?.CreateLogger<DdpmGenerator>()),
        Loader = (folder, vocabulary, device, log, ct) => Load(folder, vocabulary, device, log?.CreateLogger<DdpmGenerator>(), ct),
        Describer = o => FormattableString.Invariant($"DDPM: {string.Join('/', o.HiddenDims)} denoiser, {o.Epochs} epochs, batch {o.BatchSize}, {(o.Sampler == DdpmSampler.Ddim ? $"{o.DdimSteps}-step DDIM" : $"{o.Timesteps}-step ancestral")}{(o.Prediction == DdpmPrediction.Data ? ", x₀-prediction" : "")}{(o.CalibrateThresholds ? ", per-code thresholds matched to the training prevalences" : "")}"),
        EpochSetter = (o, e) => o.Epochs = e,
        PaperCpuHours = 5_000 * 56 * 0.2 / 3600,
        InDefaultComparison = false,
    };

    /// <inheritdoc />
    public override string Name => FamilyName;

    /// <summary>Loads a model saved with <c>Save</c>.</summary>
    /// <exception cref="InvalidDataException">The folder holds another model or does not match.</exception>
    public static DdpmGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILogger<DdpmGenerator>? logger = null, CancellationToken cancellationToken = default) =>
        LoadGenerator(folder, FamilyName, o => new DdpmGenerator(o, logger), expectedVocabulary, device, cancellationToken);

    /// <inheritdoc />
    protected override void BuildModel(int codeCount)
    {
        base.BuildModel(codeCount);
        _schedule = new NoiseSchedule(Options.Timesteps, Options.BetaStart, Options.BetaEnd);
        _alphaBars = tensor(_schedule.AlphaBars.Select(a => (float)a).ToArray(), device: Device).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    protected override void ReleaseModel()
    {
        _alphaBars?.Dispose();
        _alphaBars = null;
        base.ReleaseModel();
    }

    /// <summary>x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε for per-sample steps <paramref name="t"/> <c>[B]</c>.</summary>
    internal Tensor QSample(Tensor x0, Tensor t, Tensor eps)
    {
        var alphaBar = _alphaBars!.index_select(0, t).unsqueeze(1);            // [B, 1]
        return (alphaBar.sqrt() * x0).Plus(alphaBar.SubtractedFrom(1).sqrt() * eps);   // [B, D]
    }

    /// <inheritdoc />
    protected internal override Tensor Loss(DenoiserNet net, Tensor x, Generator rng) => SquaredErrors(net, x, rng).mean();         // []

    /// <inheritdoc />
    protected internal override Tensor PatientLosses(DenoiserNet net, Tensor x, Generator rng) => SquaredErrors(net, x, rng).mean([1]);   // [B]

    /// <summary>
    /// The squared error of every code <c>[B, D]</c> at a uniform timestep per patient: of the predicted noise (Ho et al.'s
    /// simple loss) or of the predicted record, as <see cref="DdpmOptions.Prediction"/> says.
    /// </summary>
    private Tensor SquaredErrors(DenoiserNet net, Tensor x, Generator rng)
    {
        long b = x.shape[0];
        var x0 = x.Times(2).Plus(-1);                                           // [B, D] in {−1, 1}
        var t = randint(0, Options.Timesteps, [b], device: Device, generator: rng);   // [B]
        var eps = randn(x.shape, device: Device, generator: rng);               // [B, D]
        var predicted = net.call(QSample(x0, t, eps), t);                       // [B, D]: ε̂ or x̂₀
        var target = Options.Prediction == DdpmPrediction.Data ? x0 : eps;     // [B, D]
        return predicted.Minus(target).Square();                                // [B, D]
    }

    /// <summary>The noise ε̂ <c>[b, D]</c> the sampler needs at step <paramref name="t"/>, from the network's prediction of either.</summary>
    private Tensor PredictNoise(Tensor x, int t)
    {
        int b = (int)x.shape[0];
        var predicted = Ema.call(x, RootedScalars.Filled([b], t, Device, ScalarType.Int64));   // [b, D]: ε̂ or x̂₀
        if (Options.Prediction == DdpmPrediction.Noise)
        {
            return predicted;                                                   // [b, D]
        }

        double alphaBar = _schedule.AlphaBars[t];
        return x.Minus(predicted.Times(Math.Sqrt(alphaBar))).Over(Math.Sqrt(1 - alphaBar));   // [b, D] = (x_t − √ᾱ x̂₀)/√(1 − ᾱ)
    }

    /// <inheritdoc />
    protected internal override Inpainting Known(CohortCodes cohort) => new(cohort, ModelVocabulary.Count, present: 1, absent: -1, Device);

    /// <inheritdoc />
    protected internal override Tensor SampleValues(int b, Generator rng, CancellationToken cancellationToken, Inpainting? known = null)
    {
        int d = ModelVocabulary.Count;
        var x = randn([b, d], device: Device, generator: rng);                  // [b, D] = x_T
        var steps = Options.Sampler == DdpmSampler.Ancestral
            ? Enumerable.Range(0, Options.Timesteps).Reverse().ToArray()
            : DdimTimesteps();
        for (int i = 0; i < steps.Length; i++)
        {
            int t = steps[i];
            double alphaBar = _schedule.AlphaBars[t];
            double alphaBarPrevious = i + 1 < steps.Length ? _schedule.AlphaBars[steps[i + 1]] : 1.0;
            int rounds = known is null || i == steps.Length - 1 ? 1 : Options.InpaintingResamples;
            for (int u = 0; u < rounds; u++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                if (known is not null)
                {
                    var imposed = known.Impose(x, Math.Sqrt(alphaBar), Math.Sqrt(1 - alphaBar), rng);   // [b, D]: q(x_t | y) on the known codes
                    x.Dispose();
                    x = imposed.MoveToOuterDisposeScope();
                }

                var next = Step(x, t, alphaBar, alphaBarPrevious, rng);                                // [b, D] at the next level
                if (u < rounds - 1)
                {
                    // RePaint's resampling: q(x_t | x_prev) takes the sample back to the step's level, to take it again.
                    double kept = alphaBar / alphaBarPrevious;
                    next = next.Times(Math.Sqrt(kept)).Plus(randn(x.shape, device: Device, generator: rng).Times(Math.Sqrt(1 - kept)));
                }

                x.Dispose();
                x = next.MoveToOuterDisposeScope();
            }
        }

        var final = known is null ? x : known.Impose(x, 1, 0, rng);            // [b, D] in ±1, known codes exact
        return final.Plus(1).Over(2);                                           // [b, D], ≈ 0/1
    }

    /// <summary>One reverse step from level t (ᾱₜ) to the next (ᾱ_prev): ancestral (Ho et al. Algorithm 2) or DDIM with η = 0.</summary>
    private Tensor Step(Tensor x, int t, double alphaBar, double alphaBarPrevious, Generator rng)
    {
        var eps = PredictNoise(x, t);                                                                   // [b, D]
        if (Options.Sampler == DdpmSampler.Ancestral)
        {
            double beta = _schedule.Betas[t];
            var mean = x.Minus(eps.Times(beta / Math.Sqrt(1 - alphaBar))).Over(Math.Sqrt(1 - beta));     // [b, D]
            return t > 0
                ? mean.Plus(randn(x.shape, device: Device, generator: rng).Times(Math.Sqrt(_schedule.PosteriorVariances[t])))
                : mean;
        }

        var x0 = x.Minus(eps.Times(Math.Sqrt(1 - alphaBar))).Over(Math.Sqrt(alphaBar)).ClampTo(-1, 1);   // [b, D]
        return x0.Times(Math.Sqrt(alphaBarPrevious)).Plus(eps.Times(Math.Sqrt(1 - alphaBarPrevious)));   // [b, D]
    }

    private int[] DdimTimesteps()
    {
        int s = Options.DdimSteps, total = Options.Timesteps;
        return Enumerable.Range(0, s).Select(i => (int)Math.Round((double)(total - 1) * (s - 1 - i) / Math.Max(1, s - 1))).Distinct().ToArray();
    }
}
