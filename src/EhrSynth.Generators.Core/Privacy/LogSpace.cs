namespace EhrSynth.Generators.Privacy;

/// <summary>Sums and differences of numbers held as their natural logarithms (so that e^700 and e^-700 stay finite).</summary>
internal static class LogSpace
{
    /// <summary>log(e^a + e^b).</summary>
    public static double Add(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        double hi = Math.Max(a, b), lo = Math.Min(a, b);
        return hi + Math.Log(1 + Math.Exp(lo - hi));
    }

    /// <summary>log(e^a − e^b) for a ≥ b; −∞ when they are equal.</summary>
    /// <exception cref="ArgumentException">a &lt; b: the difference would be negative.</exception>
    public static double Subtract(double a, double b)
    {
        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        if (a < b)
        {
            throw new ArgumentException($"log-space difference of {a} and {b} is the log of a negative number");
        }

        return a == b ? double.NegativeInfinity : a + Math.Log(-ExpM1(b - a));
    }

    /// <summary>ln(1 + x), accurate for tiny x (where 1 + x rounds).</summary>
    public static double Log1P(double x) => Math.Abs(x) < 1e-4 ? x * (1 - x * (0.5 - x * (1 / 3.0 - x / 4))) : Math.Log(1 + x);

    /// <summary>eˣ − 1, accurate for tiny x.</summary>
    public static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x * (1 + x * (0.5 + x / 6)) : Math.Exp(x) - 1;
}
