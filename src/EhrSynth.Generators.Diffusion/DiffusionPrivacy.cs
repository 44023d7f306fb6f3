using EhrSynth.Generators.Families;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Diffusion;

/// <summary>
/// The DP-SGD capability of EHRDiff and DDPM: as every DP-SGD family, plus per-code thresholds matched to privately
/// released prevalences (<see cref="Privacy.PrivatePrevalences"/>, inside the same ε) when the options calibrate them.
/// </summary>
public static class DiffusionPrivacy
{
    /// <summary>
    /// z of the prevalence release the calibrated thresholds use in a private fit: count noise of standard deviation
    /// z·√K = 63 patients at K = 10, for α/800 RDP (the quick EHRDiff's σ at ε = 3 rises from 0.6968 to 0.6973).
    /// </summary>
    public const double PrevalenceNoiseMultiplier = 20;

    /// <summary>The capability the two families declare.</summary>
    public static PrivacyCapability Capability { get; } = DpSgdCapability.Create((options, _) =>
    {
        if (options is DiffusionOptions { CalibrateThresholds: true })
        {
            options.Privacy!.PrevalenceNoiseMultiplier = PrevalenceNoiseMultiplier;   // the presets' thresholds read the prevalences
        }
    });
}
