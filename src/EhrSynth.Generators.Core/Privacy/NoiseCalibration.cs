namespace EhrSynth.Generators.Privacy;

/// <summary>
/// The noise multiplier σ that makes <c>steps</c> steps at sampling rate q (ε, δ)-DP: the smallest σ, to a relative
/// precision of 10⁻⁴, whose <see cref="RdpAccountant"/> ε does not exceed the target. ε falls monotonically in σ, so a
/// bisection between a σ that is too small and one that is large enough finds it; the returned σ always meets the target
/// (it is the upper end of the final bracket).
/// </summary>
public static class NoiseCalibration
{
    /// <summary>σ for the target (<paramref name="epsilon"/>, <paramref name="delta"/>).</summary>
    /// <param name="epsilon">The target ε.</param>
    /// <param name="delta">δ.</param>
    /// <param name="sampleRate">q.</param>
    /// <param name="steps">The DP-SGD steps.</param>
    /// <param name="orders">The Rényi orders; the default is <see cref="RdpAccountant.DefaultOrders"/>, or those of <paramref name="alreadySpent"/>.</param>
    /// <param name="alreadySpent">Privacy spent outside the steps (a release before training), composed with them; σ is calibrated for what is left.</param>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive ε, δ outside (0, 1), q outside (0, 1] or steps &lt; 1.</exception>
    /// <exception cref="InvalidOperationException">No σ up to 10⁴ reaches the target (for example because <paramref name="alreadySpent"/> alone exceeds it).</exception>
    public static double NoiseMultiplier(double epsilon, double delta, double sampleRate, long steps, IEnumerable<double>? orders = null, RdpAccountant? alreadySpent = null)
    {
        if (!(epsilon > 0) || double.IsPositiveInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "the target ε must be a positive number");
        }

        if (!(sampleRate > 0 && sampleRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "the sampling rate must be in (0, 1]");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var start = alreadySpent?.Copy() ?? new RdpAccountant(orders);
        if (alreadySpent is not null && start.GetEpsilon(delta).Epsilon is var spent && spent >= epsilon)
        {
            throw new InvalidOperationException($"what was spent before training, ε = {spent:G3} at δ = {delta}, already reaches the target ε = {epsilon}");
        }

        double Eps(double sigma)
        {
            var accountant = start.Copy();
            accountant.Compose(sigma, sampleRate, steps);
            return accountant.GetEpsilon(delta).Epsilon;
        }

        double lo = 0, hi = 1;
        while (Eps(hi) > epsilon)
        {
            (lo, hi) = (hi, hi * 2);
            if (hi > 1e4)
            {
                throw new InvalidOperationException($"no noise multiplier up to 10⁴ gives ε ≤ {epsilon} at δ = {delta} over {steps} steps at q = {sampleRate}");
            }
        }

        while (hi - lo > 1e-4 * hi)
        {
            double mid = (lo + hi) / 2;
            if (Eps(mid) > epsilon)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return hi;
    }
}
