namespace EhrSynth.Generators.Privacy;

/// <summary>
/// What a differentially private fit guarantees and the DP-SGD settings behind it: (ε, δ)-DP for the add-or-remove-one
/// relation on patients, from <see cref="Steps"/> steps of the Poisson-subsampled Gaussian mechanism at sampling rate
/// <see cref="SampleRate"/>, noise multiplier <see cref="NoiseMultiplier"/> and per-patient clipping norm
/// <see cref="ClipNorm"/>, accounted by <see cref="RdpAccountant"/> (best order <see cref="Order"/>).
/// </summary>
/// <param name="Epsilon">ε spent.</param>
/// <param name="Delta">δ.</param>
/// <param name="NoiseMultiplier">σ: the noise's standard deviation over the clipping norm.</param>
/// <param name="SampleRate">q: each patient's probability of joining a batch.</param>
/// <param name="Steps">Noisy steps taken (every step that saw the data).</param>
/// <param name="ClipNorm">C: the bound on one patient's gradient norm.</param>
/// <param name="Order">The Rényi order that gave ε.</param>
/// <param name="PrevalenceNoiseMultiplier">z of the code prevalences released before training (<see cref="PrivatePrevalences"/>), composed into ε; <see langword="null"/> when none were.</param>
/// <param name="PrevalenceCodeCap">K of that release: each patient's weight per code was min(1, K/k) for its k codes.</param>
public sealed record PrivacyGuarantee(double Epsilon, double Delta, double NoiseMultiplier, double SampleRate, long Steps, double ClipNorm, double Order,
    double? PrevalenceNoiseMultiplier = null, int? PrevalenceCodeCap = null)
{
    /// <summary>
    /// ρ of a guarantee accounted in zero-concentrated DP (marginal mechanisms: MST, the private floor), converted to
    /// (ε, δ) by <see cref="ZcdpConversion"/>; <see langword="null"/> for DP-SGD's Rényi accounting.
    /// </summary>
    public double? Rho { get; init; }

    /// <summary>The mechanism of a zCDP guarantee, in a few words (its measurements and noise); <see langword="null"/> for DP-SGD.</summary>
    public string? Mechanism { get; init; }

    /// <summary>A guarantee accounted in ρ-zCDP: (ε, δ) with ρ and the mechanism; the DP-SGD fields are empty.</summary>
    public static PrivacyGuarantee Zcdp(double epsilon, double delta, double rho, string mechanism) =>
        new(epsilon, delta, double.NaN, double.NaN, 0, double.NaN, double.NaN) { Rho = rho, Mechanism = mechanism };

    /// <summary>"(ε = 2.98, δ = 1e-5) · σ 1.1, q 0.0043, 14,040 steps, C 1[, prevalences z 20, K 10]", or "(ε = 3, δ = 1e-5) · ρ 0.19 zCDP: …".</summary>
    public override string ToString() => Rho is { } rho
        ? FormattableString.Invariant($"(ε = {Epsilon:G3}, δ = {FormatDelta(Delta)}) · ρ {rho:G4} zCDP: {Mechanism}")
        : FormattableString.Invariant(
            $"(ε = {Epsilon:G3}, δ = {FormatDelta(Delta)}) · σ {NoiseMultiplier:G4}, q {SampleRate:G3}, {Steps:N0} steps, C {ClipNorm:G3}") +
          (PrevalenceNoiseMultiplier is { } z ? FormattableString.Invariant($", prevalences z {z:G3}, K {PrevalenceCodeCap}") : "");

    /// <summary>δ as people write it: 1e-5, 2.5e-6, 0.01.</summary>
    public static string FormatDelta(double delta) =>
        delta >= 1e-3 ? delta.ToString("G3", System.Globalization.CultureInfo.InvariantCulture) : delta.ToString("0.##e-0", System.Globalization.CultureInfo.InvariantCulture);
}
