namespace EhrSynth.Generators.Privacy;

/// <summary>
/// A Rényi-DP accountant for DP-SGD: composes steps of the Poisson-subsampled Gaussian mechanism
/// (<see cref="SubsampledGaussianRdp"/>) by adding their RDP at each order, and converts the total to (ε, δ)
/// (<see cref="RdpConversion"/>), minimising over the orders. The default orders are 1.1, 1.2, …, 10.9 and 12, 13, …, 63,
/// the grid Opacus uses, so its published values can be compared digit for digit.
/// </summary>
public sealed class RdpAccountant
{
    private readonly double[] _orders;
    private readonly double[] _rdp;

    /// <summary>An accountant over <paramref name="orders"/> (default <see cref="DefaultOrders"/>) with nothing spent.</summary>
    /// <exception cref="ArgumentException">An order is ≤ 1 or not a number, or there is none.</exception>
    public RdpAccountant(IEnumerable<double>? orders = null)
    {
        _orders = [.. orders ?? DefaultOrders];
        if (_orders.Length == 0 || _orders.Any(a => !(a > 1)))
        {
            throw new ArgumentException("Rényi orders must be a non-empty list of numbers > 1", nameof(orders));
        }

        _rdp = new double[_orders.Length];
    }

    /// <summary>1.1, 1.2, …, 10.9, then 12, 13, …, 63 (Opacus's default grid).</summary>
    public static IReadOnlyList<double> DefaultOrders { get; } =
        [.. Enumerable.Range(1, 99).Select(x => 1 + x / 10.0), .. Enumerable.Range(12, 52).Select(x => (double)x)];

    /// <summary>The orders.</summary>
    public IReadOnlyList<double> Orders => _orders;

    /// <summary>The RDP spent so far at each order.</summary>
    public IReadOnlyList<double> Rdp => _rdp;

    /// <summary>Steps composed so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Adds <paramref name="steps"/> steps at sampling rate <paramref name="sampleRate"/> and noise multiplier <paramref name="noiseMultiplier"/>.</summary>
    public void Compose(double noiseMultiplier, double sampleRate, long steps = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        for (int i = 0; i < _orders.Length; i++)
        {
            _rdp[i] += steps * SubsampledGaussianRdp.Step(sampleRate, noiseMultiplier, _orders[i]);
        }

        Steps += steps;
    }

    /// <summary>
    /// Adds one release of the plain Gaussian mechanism with noise multiplier <paramref name="noiseMultiplier"/> (noise
    /// standard deviation over the L2 sensitivity): α/(2z²) at every order (Mironov 2017, Prop. 7). Not counted in
    /// <see cref="Steps"/>.
    /// </summary>
    public void ComposeGaussian(double noiseMultiplier)
    {
        for (int i = 0; i < _orders.Length; i++)
        {
            _rdp[i] += SubsampledGaussianRdp.Step(1, noiseMultiplier, _orders[i]);
        }
    }

    /// <summary>An accountant over the same orders that has spent what this one has.</summary>
    public RdpAccountant Copy()
    {
        var copy = new RdpAccountant(_orders) { Steps = Steps };
        Array.Copy(_rdp, copy._rdp, _rdp.Length);
        return copy;
    }

    /// <summary>The ε spent so far at <paramref name="delta"/>, and the order that gives it.</summary>
    public (double Epsilon, double Order) GetEpsilon(double delta) => RdpConversion.Epsilon(_orders, _rdp, delta);

    /// <summary>ε of <paramref name="steps"/> steps at (σ, q), at <paramref name="delta"/>, over <paramref name="orders"/>.</summary>
    public static double Epsilon(double noiseMultiplier, double sampleRate, long steps, double delta, IEnumerable<double>? orders = null)
    {
        var accountant = new RdpAccountant(orders);
        accountant.Compose(noiseMultiplier, sampleRate, steps);
        return accountant.GetEpsilon(delta).Epsilon;
    }
}
