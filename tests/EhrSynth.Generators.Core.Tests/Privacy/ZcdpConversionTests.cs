using EhrSynth.Generators.Privacy;

namespace EhrSynth.Generators.Core.Tests.Privacy;

/// <summary>
/// ρ-zCDP → (ε, δ) (Canonne, Kamath and Steinke 2020, Proposition 12), against a public reference implementation's
/// tests and two independent routes to the same bound.
/// </summary>
public class ZcdpConversionTests
{
    [Fact]
    public void Delta_MatchesOpenDpsPublishedValue()
    {
        // OpenDP (opendp/rust/src/combinators/measure_cast/zCDP_to_approxDP/cdp_delta, test_edge_cases):
        // cdp_delta(0.5, 0.0) == 0.5588356393474351, and cdp_epsilon(0.5, that δ) == 0.
        Assert.Equal(0.5588356393474351, ZcdpConversion.Delta(0.5, 0.0), 12);
        Assert.Equal(0.0, ZcdpConversion.Epsilon(0.5, 0.5588356393474351), 6);
        Assert.Equal(0.0, ZcdpConversion.Delta(0, 1));
        Assert.Equal(0.0, ZcdpConversion.Delta(0.1, double.PositiveInfinity));
        Assert.Equal(1.0, ZcdpConversion.Delta(double.PositiveInfinity, 1));
    }

    [Theory]
    [InlineData(0.05, 1e-6)]
    [InlineData(0.15, 1e-8)]
    [InlineData(0.5, 1e-5)]
    [InlineData(2.0, 1e-9)]
    public void Epsilon_EqualsTheRdpConversionAtTheBestOrder_AndBeatsTheClassicBound(double rho, double delta)
    {
        // ρ-zCDP is (α, αρ)-RDP at every α; RdpConversion (Balle et al. 2020, Theorem 21 — tested against Opacus and
        // dp_accounting) minimised over a fine grid of orders must give the same ε (CKS20 Prop. 12 is the same bound).
        double[] orders = [.. Enumerable.Range(0, 200_000).Select(i => 1.0001 + (i * 0.0005))];
        var (viaRdp, _) = RdpConversion.Epsilon(orders, [.. orders.Select(a => a * rho)], delta);
        double eps = ZcdpConversion.Epsilon(rho, delta);
        Assert.Equal(viaRdp, eps, 4);
        Assert.True(eps <= rho + (2 * Math.Sqrt(rho * Math.Log(1 / delta))), "Bun and Steinke's ρ + 2√(ρ ln 1/δ) bounds it");
        Assert.True(ZcdpConversion.Delta(rho, eps) <= delta * (1 + 1e-9));
        Assert.Equal(rho, ZcdpConversion.Rho(eps, delta), 6);
    }

    [Fact]
    public void Composition_AddsTheRhosOfGaussianAndExponentialMechanisms()
    {
        // Gaussian with sensitivity Δ and σ: Δ²/(2σ²); exponential mechanism at ε: ε²/8 (by hand).
        Assert.Equal(0.5, ZcdpConversion.Gaussian(1, 1), 15);
        Assert.Equal(10 / (2 * 25.0), ZcdpConversion.Gaussian(Math.Sqrt(10), 5), 15);
        Assert.Equal(0.125, ZcdpConversion.Exponential(1), 15);
        // Spending ρ(ε, δ) in three equal parts gives back (ε, δ).
        double rho = ZcdpConversion.Rho(1, 1e-9);
        Assert.Equal(1, ZcdpConversion.Epsilon((rho / 3) + (rho / 3) + (rho / 3), 1e-9), 6);
    }
    [Fact]
    public void ComposedGaussians_MatchOpenDpsPublishedGaussianGuarantee()
    {
        // OpenDP (opendp/rust/src/combinators/measure_cast/zCDP_to_approxDP/test.rs, test_zCDP_to_approxDP_nontrivial):
        // a Gaussian of scale 4 at sensitivity 1 is ρ = 1/32 zCDP, ε(δ = 1e-3) = 0.6880024554878086 and
        // δ(ε = 0) = 0.1508457845622862. Two Gaussians of scale 4√2 compose (ρ adds) to the same ρ, so the same guarantee;
        // so do a scale-8 Gaussian (1/128) and an exponential mechanism with ε₀²/8 = 3/128.
        double rho = ZcdpConversion.Gaussian(1, 4 * Math.Sqrt(2)) + ZcdpConversion.Gaussian(1, 4 * Math.Sqrt(2));
        Assert.Equal(1.0 / 32, rho, 15);
        Assert.Equal(0.6880024554878086, ZcdpConversion.Epsilon(rho, 1e-3), 9);
        Assert.Equal(0.1508457845622862, ZcdpConversion.Delta(rho, 0), 9);
        double mixed = ZcdpConversion.Gaussian(1, 8) + ZcdpConversion.Exponential(Math.Sqrt(8 * 3.0 / 128));
        Assert.Equal(0.6880024554878086, ZcdpConversion.Epsilon(mixed, 1e-3), 9);
    }
}
