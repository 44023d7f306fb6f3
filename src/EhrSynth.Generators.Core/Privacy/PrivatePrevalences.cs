using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Privacy;

/// <summary>
/// Each code's prevalence released once with the Gaussian mechanism, for the data-dependent steps a private fit may not
/// take on the real prevalences (EHRDiff's per-code thresholds). Patient i with kᵢ codes adds the weight min(1, K/kᵢ)
/// to each of them, so one patient moves the vector of weighted counts by an L2 norm of at most √K (exactly √K when
/// kᵢ = K); N(0, z²K) noise is added to every count, and the count over N, clamped to [0, 1], is the released prevalence.
/// The release is (α, α/(2z²))-RDP at every order (<see cref="RdpAccountant.ComposeGaussian"/>), composed with the
/// DP-SGD steps. N, the number of training patients, is treated as public, as DP-SGD's sampling rate q = B/N does.
/// Patients with more than K codes count less than once per code, which lowers the released prevalence of codes that
/// such patients carry; noise pushes codes absent from the data above zero about half of the time.
/// </summary>
public static class PrivatePrevalences
{
    /// <summary>The noisy prevalences of <paramref name="data"/>'s codes.</summary>
    /// <param name="data">The training patients.</param>
    /// <param name="noiseMultiplier">z: the noise's standard deviation over the sensitivity √K.</param>
    /// <param name="codeCap">K.</param>
    /// <param name="seed">The noise's seed.</param>
    /// <exception cref="ArgumentOutOfRangeException">z is not a positive number, or K &lt; 1.</exception>
    public static double[] Release(EhrDataset data, double noiseMultiplier, int codeCap, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(noiseMultiplier > 0 && double.IsFinite(noiseMultiplier)))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), noiseMultiplier, "the noise multiplier must be a positive number");
        }

        var counts = WeightedCounts(data, codeCap);
        double sd = noiseMultiplier * Sensitivity(codeCap);
        var rng = new Random(seed);
        var released = new double[counts.Length];
        for (int c = 0; c < counts.Length; c++)
        {
            double noisy = counts[c] + (sd * StandardNormal(rng));
            released[c] = data.PatientCount == 0 ? 0 : Math.Clamp(noisy / data.PatientCount, 0, 1);
        }

        return released;
    }

    /// <summary>The L2 sensitivity of the weighted counts: √K.</summary>
    public static double Sensitivity(int codeCap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codeCap, 1);
        return Math.Sqrt(codeCap);
    }

    /// <summary>Σᵢ min(1, K/kᵢ)·xᵢ, the counts before noise.</summary>
    internal static double[] WeightedCounts(EhrDataset data, int codeCap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codeCap, 1);
        var counts = new double[data.CodeCount];
        for (int p = 0; p < data.PatientCount; p++)
        {
            var codes = data.GetCodes(p);
            double weight = Math.Min(1.0, (double)codeCap / Math.Max(1, codes.Length));
            foreach (int c in codes)
            {
                counts[c] += weight;
            }
        }

        return counts;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double StandardNormal(Random rng)
    {
        double u = 1.0 - rng.NextDouble();                                    // (0, 1]
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * rng.NextDouble());
    }
}
