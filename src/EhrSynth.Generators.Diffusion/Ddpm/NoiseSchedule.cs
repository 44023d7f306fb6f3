namespace EhrSynth.Generators.Diffusion.Ddpm;

/// <summary>
/// DDPM's linear variance schedule (Ho et al. 2020): β_t from β_1 to β_T, α_t = 1 − β_t, ᾱ_t = Π_{s ≤ t} α_s, and the
/// posterior variance β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t). Index t runs 0 … T − 1.
/// The forward process has the closed form q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I).
/// </summary>
internal sealed class NoiseSchedule
{
    /// <summary>Creates the schedule.</summary>
    public NoiseSchedule(int timesteps, double betaStart, double betaEnd)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timesteps, 1);
        Betas = new double[timesteps];
        AlphaBars = new double[timesteps];
        PosteriorVariances = new double[timesteps];
        double product = 1;
        for (int t = 0; t < timesteps; t++)
        {
            Betas[t] = timesteps == 1 ? betaStart : betaStart + ((betaEnd - betaStart) * t / (timesteps - 1));
            double previous = product;
            product *= 1 - Betas[t];
            AlphaBars[t] = product;
            PosteriorVariances[t] = t == 0 ? 0 : Betas[t] * (1 - previous) / (1 - product);
        }
    }

    /// <summary>β_t.</summary>
    public double[] Betas { get; }

    /// <summary>ᾱ_t.</summary>
    public double[] AlphaBars { get; }

    /// <summary>β̃_t.</summary>
    public double[] PosteriorVariances { get; }

    /// <summary>T.</summary>
    public int Timesteps => Betas.Length;
}
