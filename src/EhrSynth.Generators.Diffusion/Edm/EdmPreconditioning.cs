namespace EhrSynth.Generators.Diffusion.Edm;

/// <summary>
/// EDM preconditioning (Karras et al. 2022, Table 1; EHRDiff's <c>EDMDenoiser</c>):
/// D(x; σ) = c_skip·x + c_out·F(c_in·x, c_noise) with
/// c_skip = σ_d² / (σ² + σ_d²), c_out = σ·σ_d / √(σ² + σ_d²), c_in = 1 / √(σ² + σ_d²), c_noise = ¼ ln σ,
/// and the loss weight λ(σ) = (σ² + σ_d²) / (σ·σ_d)².
/// </summary>
internal static class EdmPreconditioning
{
    /// <summary>c_skip(σ).</summary>
    public static double CSkip(double sigma, double sigmaData) => sigmaData * sigmaData / ((sigma * sigma) + (sigmaData * sigmaData));

    /// <summary>c_out(σ).</summary>
    public static double COut(double sigma, double sigmaData) => sigma * sigmaData / Math.Sqrt((sigma * sigma) + (sigmaData * sigmaData));

    /// <summary>c_in(σ).</summary>
    public static double CIn(double sigma, double sigmaData) => 1 / Math.Sqrt((sigma * sigma) + (sigmaData * sigmaData));

    /// <summary>c_noise(σ) = ¼ ln σ.</summary>
    public static double CNoise(double sigma) => Math.Log(sigma) / 4;

    /// <summary>λ(σ).</summary>
    public static double LossWeight(double sigma, double sigmaData) =>
        ((sigma * sigma) + (sigmaData * sigmaData)) / ((sigma * sigmaData) * (sigma * sigmaData));
}
