using System.Globalization;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// The <see cref="PrivacyCapability"/> of a family trained with DP-SGD (<see cref="TorchGeneratorOptions.Privacy"/>):
/// σ calibrated to the target ε before training, and held-out selection, monitoring and early stopping turned off (they
/// look at real patients outside DP-SGD). A family adds its own steps through <see cref="Create"/>.
/// </summary>
public static class DpSgdCapability
{
    /// <summary>The capability, with the family's extra steps (for example EHRDiff's privately released prevalences).</summary>
    public static PrivacyCapability Create(Action<TorchGeneratorOptions, PrivacyTarget>? extra = null) => new()
    {
        Mechanism = "DP-SGD",
        Apply = (options, target) =>
        {
            var torch = options as TorchGeneratorOptions
                ?? throw new ArgumentException($"DP-SGD needs TorchGeneratorOptions, not {options.GetType().Name}.", nameof(options));
            torch.Privacy = new DifferentialPrivacyOptions
            {
                TargetEpsilon = target.Epsilon,
                Delta = target.Delta,
                ClipNorm = target.ClipNorm ?? 1.0,
                ExpectedBatchSize = target.ExpectedBatchSize,
            };
            (torch.ValidationFraction, torch.Selection, torch.EarlyStoppingPatience) = (0, ModelSelection.None, null);
            extra?.Invoke(torch, target);
        },
        Describe = Describe,
    };

    /// <summary>"DP-SGD to ε = 3 at δ = 1e-5, C = 1 (public vocabulary; no held-out selection[; thresholds …])".</summary>
    public static string Describe(EhrGeneratorOptions options) =>
        options is TorchGeneratorOptions { Privacy: { } p }
            ? string.Create(CultureInfo.InvariantCulture, $"DP-SGD to ε = {p.TargetEpsilon:G3} at δ = {Privacy.PrivacyGuarantee.FormatDelta(p.Delta)}, C = {p.ClipNorm:G3}{(p.ExpectedBatchSize is { } b ? $", expected batch {b}" : "")} (public vocabulary; no held-out selection") +
              (p.PrevalenceNoiseMultiplier is { } z
                  ? string.Create(CultureInfo.InvariantCulture, $"; thresholds matched to prevalences released with z = {z:G3}, K = {p.PrevalenceCodeCap}, inside ε)")
                  : ")")
            : "";
}
