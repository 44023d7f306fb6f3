namespace EhrSynth.Generators.Privacy;

/// <summary>
/// From Rényi DP to (ε, δ)-DP. A mechanism that is (α, ρ)-RDP is (ε, δ)-DP with
/// ε = ρ + ln((α − 1)/α) − (ln δ + ln α)/(α − 1) — Balle, Barthe, Gaboardi, Hsu and Sato, "Hypothesis Testing
/// Interpretations and Rényi Differential Privacy" (AISTATS 2020), Theorem 21; the same bound as Canonne, Kamath and
/// Steinke (2020), Proposition 12. It is tighter than Mironov's original ρ − ln δ/(α − 1) by about ln(α)/(α − 1), and is
/// the conversion Opacus and Google's dp_accounting use. The reported ε minimises over the accountant's orders.
/// </summary>
public static class RdpConversion
{
    /// <summary>The smallest ε over <paramref name="orders"/> (with the RDP values <paramref name="rdp"/>) at <paramref name="delta"/>, and the order that gives it.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, or δ is outside (0, 1).</exception>
    public static (double Epsilon, double Order) Epsilon(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double delta)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(rdp);
        if (orders.Count == 0 || orders.Count != rdp.Count)
        {
            throw new ArgumentException($"{orders.Count} orders and {rdp.Count} RDP values: need the same, non-zero number");
        }

        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1)");
        }

        double best = double.PositiveInfinity, bestOrder = double.NaN;
        for (int i = 0; i < orders.Count; i++)
        {
            double a = orders[i], r = rdp[i];
            if (!(a > 1) || double.IsPositiveInfinity(a) || double.IsNaN(r))
            {
                continue;
            }

            double eps = r + Math.Log((a - 1) / a) - (Math.Log(delta) + Math.Log(a)) / (a - 1);
            if (eps < best)
            {
                (best, bestOrder) = (eps, a);
            }
        }

        return (Math.Max(0, best), bestOrder);
    }
}
