namespace EhrSynth.Generators.Privacy;

/// <summary>
/// Zero-concentrated differential privacy (ρ-zCDP; Bun and Steinke 2016) and its tight conversion to (ε, δ)-DP of
/// Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020), Proposition 12 /
/// Corollary 13: ρ-zCDP implies (ε, δ)-DP with
/// δ = min over α &gt; 1 of exp((α − 1)(αρ − ε)) · (1 − 1/α)^α / (α − 1).
/// The marginal mechanisms (MST) account in ρ: the Gaussian mechanism of L2 sensitivity Δ and standard deviation σ is
/// Δ²/(2σ²)-zCDP, the exponential mechanism with parameter ε is ε²/8-zCDP, and ρs add up under composition.
/// </summary>
public static class ZcdpConversion
{
    /// <summary>The smallest δ for which ρ-zCDP gives (ε, δ)-DP (CKS20, Proposition 12, minimised over α).</summary>
    /// <exception cref="ArgumentOutOfRangeException">ρ or ε is negative or NaN.</exception>
    public static double Delta(double rho, double epsilon)
    {
        if (!(rho >= 0) || !(epsilon >= 0))
        {
            throw new ArgumentOutOfRangeException(rho >= 0 ? nameof(epsilon) : nameof(rho), "ρ and ε must be non-negative numbers");
        }

        if (rho == 0 || double.IsPositiveInfinity(epsilon))
        {
            return 0;
        }

        if (double.IsPositiveInfinity(rho))
        {
            return 1;
        }

        // The optimal α is at most (ε + 1)/(2ρ) + 2; below 1.01 lies only the regime ε ≲ ρ, where δ is large anyway.
        // δ(α) is convex there: bisect on the sign of its log-derivative, (2α − 1)ρ − ε + ln(1 − 1/α).
        double low = 1.01, high = ((epsilon + 1) / (2 * rho)) + 2;
        for (int i = 0; i < 200; i++)
        {
            double mid = (low + high) / 2;
            if (mid == low || mid == high)
            {
                break;
            }

            double slope = ((2 * mid - 1) * rho) - epsilon + Math.Log(1 - (1 / mid));
            (low, high) = slope < 0 ? (mid, high) : (low, mid);
        }

        double a = high;
        double delta = Math.Exp(((a - 1) * ((a * rho) - epsilon)) + (a * Math.Log(1 - (1 / a)))) / (a - 1);
        return Math.Min(delta, 1);
    }

    /// <summary>The smallest ε for which ρ-zCDP gives (ε, δ)-DP (bisection on <see cref="Delta"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">ρ is negative, or δ is outside (0, 1).</exception>
    public static double Epsilon(double rho, double delta)
    {
        if (!(rho >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(rho), rho, "ρ must be a non-negative number");
        }

        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1)");
        }

        if (rho == 0)
        {
            return 0;
        }

        // Bun and Steinke's ε = ρ + 2√(ρ ln(1/δ)) is always enough: bisect below it.
        double low = 0, high = rho + (2 * Math.Sqrt(rho * Math.Log(1 / delta)));
        for (int i = 0; i < 200; i++)
        {
            double mid = (low + high) / 2;
            if (mid == low || mid == high)
            {
                break;
            }

            (low, high) = Delta(rho, mid) <= delta ? (low, mid) : (mid, high);
        }

        return high;
    }

    /// <summary>The largest ρ whose ρ-zCDP gives (ε, δ)-DP: the budget of a mechanism that must spend (ε, δ).</summary>
    /// <exception cref="ArgumentOutOfRangeException">ε is not positive, or δ is outside (0, 1).</exception>
    public static double Rho(double epsilon, double delta)
    {
        if (!(epsilon > 0) || double.IsPositiveInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be a positive number");
        }

        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1)");
        }

        // ρ = ε²/8 is pure ε-DP's own zCDP level, a safe start; ρ = ε + 1 already needs δ > 1/e.
        double low = 0, high = epsilon + 1;
        for (int i = 0; i < 200; i++)
        {
            double mid = (low + high) / 2;
            if (mid == low || mid == high)
            {
                break;
            }

            (low, high) = Delta(mid, epsilon) <= delta ? (mid, high) : (low, mid);
        }

        return low;
    }

    /// <summary>The ρ of the Gaussian mechanism with L2 sensitivity <paramref name="sensitivity"/> and standard deviation <paramref name="sigma"/>: Δ²/(2σ²).</summary>
    public static double Gaussian(double sensitivity, double sigma) => sensitivity * sensitivity / (2 * sigma * sigma);

    /// <summary>The ρ of the exponential mechanism with privacy parameter <paramref name="epsilon"/>: ε²/8 (Cesar and Rogers 2021).</summary>
    public static double Exponential(double epsilon) => epsilon * epsilon / 8;
}
