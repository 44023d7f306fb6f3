namespace EhrSynth.Generators.Privacy;

/// <summary>
/// The complementary error function erfc(x) = 2/√π ∫ₓ^∞ e^(−t²) dt and its logarithm, to double precision (.NET has
/// neither). |x| &lt; 2: the all-positive series erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)) (no
/// cancellation). x ≥ 2: the continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))), evaluated by
/// the modified Lentz method, whose logarithm stays finite where erfc itself underflows (x ≳ 27).
/// </summary>
internal static class Erfc
{
    private const double InverseSqrtPi = 0.56418958354775628695;   // 1/√π

    /// <summary>erfc(<paramref name="x"/>).</summary>
    public static double Value(double x) => x >= 2 ? Math.Exp(Log(x)) : 1 - Erf(x);

    /// <summary>ln erfc(<paramref name="x"/>), finite for every finite x.</summary>
    public static double Log(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 2)
        {
            return Math.Log(1 - Erf(x));                                  // erfc ∈ (0.0047, 2): no underflow
        }

        return -x * x + Math.Log(InverseSqrtPi) + Math.Log(ContinuedFraction(x));
    }

    /// <summary>erf(x) for |x| &lt; 2 by the positive series; ±1 beyond (only used below 2).</summary>
    private static double Erf(double x)
    {
        if (x <= -2)
        {
            return -1 + Math.Exp(Log(-x));                                // erf(x) = −(1 − erfc(−x))
        }

        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }

        return 2 * InverseSqrtPi * Math.Exp(-x2) * sum;
    }

    /// <summary>1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) by the modified Lentz method (x ≥ 2).</summary>
    private static double ContinuedFraction(double x)
    {
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++)
        {
            double a = n / 2.0;
            d = x + a * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return 1 / f;
    }
}
