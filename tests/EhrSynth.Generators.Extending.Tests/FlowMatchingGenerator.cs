using EhrSynth.Generators.Data;
using EhrSynth.Generators.Diffusion;
using EhrSynth.Generators.Diffusion.Modules;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Extending.Tests;

/// <summary>
/// An outside diffusion family on <see cref="DiffusionGeneratorBase{TOptions}"/>: rectified flow (Liu et al. 2023) on
/// 0/1 records. x_t = (1 − t)·x₀ + t·ε with t ~ U(0, 1); the denoiser predicts the velocity ε − x₀; sampling integrates
/// dx/dt from t = 1 to 0 with Euler steps. Everything else (EMA, AdamW schedule, DP-SGD, calibration, cohorts, saving)
/// is the base's.
/// </summary>
public sealed class FlowMatchingGenerator(FlowMatchingOptions? options = null) : DiffusionGeneratorBase<FlowMatchingOptions>(options ?? new FlowMatchingOptions(), null)
{
    /// <summary>The name in saved manifests.</summary>
    public const string FamilyName = "FlowMatching";

    /// <inheritdoc />
    public override string Name => FamilyName;

    /// <summary>Loads a saved flow-matching generator.</summary>
    public static FlowMatchingGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) =>
        LoadGenerator(folder, FamilyName, o => new FlowMatchingGenerator(o), expectedVocabulary, null);

    /// <inheritdoc />
    protected override Tensor Loss(DenoiserNet net, Tensor x, Generator rng) => SquaredErrors(net, x, rng).mean();            // []

    /// <inheritdoc />
    protected override Tensor PatientLosses(DenoiserNet net, Tensor x, Generator rng) => SquaredErrors(net, x, rng).mean([1]);  // [B]

    /// <inheritdoc />
    protected override Inpainting Known(CohortCodes cohort) => new(cohort, ModelVocabulary.Count, present: 1, absent: 0, Device);

    /// <inheritdoc />
    protected override Tensor SampleValues(int b, Generator rng, CancellationToken cancellationToken, Inpainting? known = null)
    {
        int steps = Options.EulerSteps;
        var x = randn([b, ModelVocabulary.Count], device: Device, generator: rng);             // [b, D] at t = 1
        for (int i = steps; i > 0; i--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double t = (double)i / steps;
            if (known is not null)
            {
                x = known.Impose(x, scale: 1 - t, noise: t, rng);                              // [b, D]
            }

            var v = Ema.call(x, RootedScalars.Filled([b], t * 1000, Device));                  // [b, D]
            x = x.Minus(v.Times(1.0 / steps));                                                 // [b, D] at t − 1/steps
        }

        return x;                                                                              // [b, D] on the 0/1 scale
    }

    /// <summary>Per-code squared error of the predicted velocity: <c>[B, D]</c>.</summary>
    private static Tensor SquaredErrors(DenoiserNet net, Tensor x, Generator rng)
    {
        var t = rand([x.shape[0], 1], device: x.device, generator: rng);                      // [B, 1]
        var eps = randn(x.shape, device: x.device, generator: rng);                            // [B, D]
        var xt = t.SubtractedFrom(1).mul(x).Plus(t.mul(eps));                                  // [B, D]
        var v = net.call(xt, t.squeeze(1).Times(1000));                                        // [B, D]
        return v.Minus(eps.Minus(x)).square();                                                 // [B, D]
    }
}
