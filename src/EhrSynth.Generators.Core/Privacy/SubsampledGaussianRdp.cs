namespace EhrSynth.Generators.Privacy;

/// <summary>
/// Rényi differential privacy of one step of the Poisson-subsampled Gaussian mechanism (DP-SGD's step: every record joins
/// the batch independently with probability q, the clipped gradients are summed and Gaussian noise of standard deviation
/// σ·C is added), for the add-or-remove-one neighbouring relation — Mironov, Talwar and Zhang, "Rényi Differential
/// Privacy of the Sampled Gaussian Mechanism" (2019). At order α the step is (α, log(A_α)/(α − 1))-RDP with
/// A_α = E_{z∼μ₀}[((1 − q) + q·e^((2z − 1)/(2σ²)))^α], μ₀ = N(0, σ²):
/// <list type="bullet">
/// <item>integer α: A_α = Σₖ C(α, k) (1 − q)^(α−k) q^k e^((k² − k)/(2σ²)) (binomial expansion, §3.3, all terms positive);</item>
/// <item>fractional α: the two-sided series of §3.3 that splits the integral at z₀ = σ² ln(1/q − 1) + ½ and sums
/// generalised binomial terms times erfc tails until they fall below e^(−30).</item>
/// </list>
/// q = 1 gives the plain Gaussian mechanism, α/(2σ²); q = 0 gives 0; σ = 0 or α = ∞ (with q &gt; 0) gives ∞.
/// </summary>
public static class SubsampledGaussianRdp
{
    /// <summary>The RDP ε(α) of one step with sampling rate <paramref name="q"/> and noise multiplier <paramref name="sigma"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">q outside [0, 1], σ negative, or α ≤ 1.</exception>
    public static double Step(double q, double sigma, double order)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "the sampling rate must be in [0, 1]");
        }

        if (!(sigma >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "the noise multiplier must be ≥ 0");
        }

        if (!(order > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "Rényi orders must be > 1");
        }

        if (q == 0)
        {
            return 0;
        }

        if (sigma == 0 || double.IsPositiveInfinity(order))
        {
            return double.PositiveInfinity;
        }

        if (q == 1)
        {
            return order / (2 * sigma * sigma);
        }

        double logA = order == Math.Floor(order) && order < int.MaxValue ? LogAIntegerOrder(q, sigma, (int)order) : LogAFractionalOrder(q, sigma, order);
        return logA / (order - 1);
    }

    /// <summary>ln A_α for an integer α by the binomial expansion.</summary>
    internal static double LogAIntegerOrder(double q, double sigma, int order)
    {
        double logA = double.NegativeInfinity, logQ = Math.Log(q), log1MinusQ = LogSpace.Log1P(-q), twoSigma2 = 2 * sigma * sigma;
        for (int k = 0; k <= order; k++)
        {
            double logTerm = LogBinomial(order, k) + k * logQ + (order - k) * log1MinusQ + ((double)k * k - k) / twoSigma2;
            logA = LogSpace.Add(logA, logTerm);
        }

        return logA;
    }

    /// <summary>ln A_α for a fractional α by the erfc series of §3.3.</summary>
    internal static double LogAFractionalOrder(double q, double sigma, double order)
    {
        double logQ = Math.Log(q), log1MinusQ = LogSpace.Log1P(-q), twoSigma2 = 2 * sigma * sigma, sqrt2Sigma = Math.Sqrt(2) * sigma;
        double z0 = sigma * sigma * Math.Log(1 / q - 1) + 0.5;
        double positive = double.NegativeInfinity, negative = double.NegativeInfinity;   // Σ of positive and of negative terms
        double logAbsCoefficient = 0;                                                      // ln |C(α, i)|
        int sign = 1;
        for (int i = 0; i < 100_000; i++)
        {
            if (i > 0)
            {
                double factor = (order - (i - 1)) / i;                                     // C(α, i) = C(α, i − 1)·(α − i + 1)/i
                sign *= Math.Sign(factor);
                logAbsCoefficient += Math.Log(Math.Abs(factor));
                if (factor == 0)
                {
                    break;
                }
            }

            double j = order - i;
            double logS0 = logAbsCoefficient + i * logQ + j * log1MinusQ + (i * (double)i - i) / twoSigma2
                           + Math.Log(0.5) + Erfc.Log((i - z0) / sqrt2Sigma);
            double logS1 = logAbsCoefficient + j * logQ + i * log1MinusQ + (j * j - j) / twoSigma2
                           + Math.Log(0.5) + Erfc.Log((z0 - j) / sqrt2Sigma);
            double logTerm = LogSpace.Add(logS0, logS1);
            if (sign > 0)
            {
                positive = LogSpace.Add(positive, logTerm);
            }
            else
            {
                negative = LogSpace.Add(negative, logTerm);
            }

            if (Math.Max(logS0, logS1) < -30)
            {
                break;
            }
        }

        return LogSpace.Subtract(positive, negative);
    }

    private static double LogBinomial(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        double s = 0;
        for (int i = 2; i <= n; i++)
        {
            s += Math.Log(i);
        }

        return s;
    }
}
