namespace EhrSynth.Generators.Diffusion.Edm;

/// <summary>
/// The EDM sampler's noise levels (EHRDiff's <c>ablation_sampler</c>, <c>discretization: edm</c>):
/// σ_i = (σ_max^{1/ρ} + i/(N − 1)·(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ for i = 0 … N − 1, then a final σ_N = 0.
/// </summary>
internal static class EdmNoiseLevels
{
    /// <summary>The N + 1 levels, from σ_max down to σ_min, then 0.</summary>
    public static double[] Create(int steps, double sigmaMin, double sigmaMax, double rho)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var levels = new double[steps + 1];
        double a = Math.Pow(sigmaMax, 1 / rho), b = Math.Pow(sigmaMin, 1 / rho);
        for (int i = 0; i < steps; i++)
        {
            levels[i] = Math.Pow(a + ((double)i / (steps - 1) * (b - a)), rho);
        }

        levels[steps] = 0;
        return levels;
    }
}
