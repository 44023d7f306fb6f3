using EhrSynth.Generators.Privacy;

namespace EhrSynth.Generators.Core.Tests.Privacy;

/// <summary>
/// The accountant against values published by the two reference DP libraries, and its two formulas against each other.
/// </summary>
public class RdpAccountantTests
{
    [Fact]
    public void PoissonSampledGaussian_MatchesGoogleDpAccountingPublishedRdp()
    {
        // google/differential-privacy, python/dp_accounting/dp_accounting/rdp/rdp_privacy_accountant_test.py,
        // test_compute_rdp_poisson_sampled_gaussian: σ = 2.5, q = 0.01, 50 steps, rtol 1e-4.
        double[] orders = [2.5, 5, 50, 100];
        double[] published = [1.08548710e-03, 2.18075656e-03, 2.38460375e-02, 1.67416308e02];
        var accountant = new RdpAccountant(orders);
        accountant.Compose(noiseMultiplier: 2.5, sampleRate: 0.01, steps: 50);
        for (int i = 0; i < orders.Length; i++)
        {
            Assert.True(Math.Abs(accountant.Rdp[i] / published[i] - 1) < 1e-4, $"order {orders[i]}: {accountant.Rdp[i]:G9} vs published {published[i]:G9}");
        }

        Assert.Equal(double.PositiveInfinity, SubsampledGaussianRdp.Step(0.01, 2.5, double.PositiveInfinity));
    }

    [Fact]
    public void FractionalOrderBelowTwo_EqualsTheIntegralByQuadrature_AndIsBelowGooglesLooserBound()
    {
        // The same test publishes 6.70579741e-04 at α = 1.5. That version of dp_accounting adds the magnitudes of the
        // series' alternating terms, an upper bound; the exact A_α = E_{z∼N(0,σ²)}[((1 − q) + q e^((2z−1)/(2σ²)))^α],
        // integrated here by the trapezoid rule, gives 6.5007e-4 (as do Opacus's signed series and this library).
        const double q = 0.01, sigma = 2.5, alpha = 1.5;
        double a = 0, h = 1e-3;
        for (double z = -60; z < 100; z += h)
        {
            double density = Math.Exp(-z * z / (2 * sigma * sigma)) / (sigma * Math.Sqrt(2 * Math.PI));
            a += density * Math.Pow(1 - q + q * Math.Exp((2 * z - 1) / (2 * sigma * sigma)), alpha) * h;
        }

        double byQuadrature = 50 * Math.Log(a) / (alpha - 1);
        double library = 50 * SubsampledGaussianRdp.Step(q, sigma, alpha);
        Assert.Equal(byQuadrature, library, 1e-8);
        Assert.True(library < 6.70579741e-04);
    }

    [Fact]
    public void Epsilon_MatchesOpacusPublishedValue()
    {
        // pytorch/opacus, opacus/tests/accountants_test.py, test_rdp_accountant: σ = 1.5, q = 0.04,
        // int(90 / 0.04) = 2250 steps, δ = 1e-5 → ε = 7.32911117143 (default orders).
        double eps = RdpAccountant.Epsilon(noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250, delta: 1e-5);
        Assert.Equal(7.32911117143, eps, 1e-6);
    }

    [Theory]
    [InlineData(2000, 1.3562)]   // opacus/tests/accountants_test.py, test_get_noise_multiplier_rdp_steps (places = 4)
    [InlineData(2250, 1.416)]    // test_get_noise_multiplier_rdp_epochs: 90 epochs at q = 0.04 (places = 4)
    public void NoiseMultiplier_MatchesOpacusPublishedValues(long steps, double published)
    {
        // ε = 8, δ = 1e-5, q = 0.04. Opacus bisects until ε is within 0.01 below the target; this calibration goes to
        // 1e-4 in σ, so it may be a hair smaller: equal to 2 decimals, and it must meet the target.
        double sigma = NoiseCalibration.NoiseMultiplier(epsilon: 8, delta: 1e-5, sampleRate: 0.04, steps: steps);
        Assert.Equal(published, sigma, 0.005);
        Assert.True(RdpAccountant.Epsilon(sigma, 0.04, steps, 1e-5) <= 8);
        Assert.True(RdpAccountant.Epsilon(sigma * (1 - 3e-4), 0.04, steps, 1e-5) > 8);
    }

    [Fact]
    public void Conversion_MatchesGoogleDpAccountingPureDpValue()
    {
        // rdp_privacy_accountant_test.py, test_compute_epsilon_delta_pure_dp: orders 2…32, RDP 1.1 at each, δ = 1e-5
        // → ε = 1.32783806176 at order 32 (by hand: 1.1 − (ln 1e-5 + ln 32)/31 + ln(31/32)).
        double[] orders = [.. Enumerable.Range(2, 31).Select(a => (double)a)];
        var (eps, order) = RdpConversion.Epsilon(orders, [.. orders.Select(_ => 1.1)], 1e-5);
        Assert.Equal(1.32783806176, eps, 1e-10);
        Assert.Equal(32, order);
    }

    [Fact]
    public void PlainGaussian_MatchesGoogleDpAccountingExactCalibration()
    {
        // rdp_privacy_accountant_test.py, test_compute_epsilon_delta_gaussian: σ = 4.530877117 with q = 1 is exactly
        // (1, 1e-6)-DP; over the orders 1.001 … 99.999 in steps of 0.001 the RDP bound gives ε = 1 to 7 places.
        var orders = Enumerable.Range(1001, 98_999).Select(i => i * 0.001);
        double eps = RdpAccountant.Epsilon(4.530877117, sampleRate: 1, steps: 1, delta: 1e-6, orders);
        Assert.Equal(1.0, eps, 1e-6);
    }

    [Theory]
    [InlineData(0.01, 1.1, 2)]
    [InlineData(0.01, 1.1, 20)]
    [InlineData(0.004, 0.8, 7)]
    [InlineData(0.3, 2.0, 12)]
    [InlineData(0.5, 5.0, 63)]
    public void FractionalSeries_AtIntegerOrders_EqualsTheBinomialSum(double q, double sigma, int order)
    {
        // Two independent formulas for A_α: the erfc series (any α) and the binomial expansion (integer α).
        double series = SubsampledGaussianRdp.LogAFractionalOrder(q, sigma, order);
        double binomial = SubsampledGaussianRdp.LogAIntegerOrder(q, sigma, order);
        Assert.True(Math.Abs(series - binomial) <= 1e-9 * Math.Max(1, Math.Abs(binomial)), $"series {series:G12} vs binomial {binomial:G12}");
    }

    [Fact]
    public void EdgeCases_NoSamplingIsFree_NoNoiseIsInfinite_FullBatchIsGaussian()
    {
        Assert.Equal(0, SubsampledGaussianRdp.Step(0, 1, 5));
        Assert.Equal(double.PositiveInfinity, SubsampledGaussianRdp.Step(0.1, 0, 5));
        Assert.Equal(3.14159 / (2 * 2.71828 * 2.71828), SubsampledGaussianRdp.Step(1, 2.71828, 3.14159), 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => SubsampledGaussianRdp.Step(1.5, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubsampledGaussianRdp.Step(0.1, 1, 1));
    }
}
