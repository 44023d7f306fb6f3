using EhrSynth.Generators.Metrics.Kernels;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Metrics.Tests;

public class KernelTests
{
    [Theory]
    [InlineData(0.15, 1)]
    [InlineData(0.4, 2)]
    [InlineData(0.02, 3)]
    public void SparseCovariance_SumsEqualNaiveFloat64_AtDifferentSizes(double density, int dop)
    {
        var a = Fixtures.Random(333, 37, density, seed: 11);
        var b = Fixtures.Random(180, 37, density * 0.7, seed: 12);
        var ca = Naive.Covariance(a);
        double cells = 37.0 * 37;
        double expected = Naive.Mae(ca, Naive.Covariance(b)) * cells;
        double absolute = Naive.Mae(ca, new double[37, 37]) * cells;
        var sa = PairStatistics.Of(a, dop);
        var sb = PairStatistics.Of(b, dop);
        Assert.Equal(expected, SparseCovariance.SumAbsoluteDifference(sa, sb, dop), 1e-12 * Math.Max(1, expected));
        Assert.Equal(absolute, SparseCovariance.SumAbsolute(sa), 1e-12 * Math.Max(1, absolute));
        Assert.Equal(0, SparseCovariance.SumAbsoluteDifference(sa, sa, dop), 15);
    }

    [Theory]
    [InlineData(false, 1, 0.05)]
    [InlineData(true, 1, 0.05)]
    [InlineData(false, 2, 0.05)]
    [InlineData(true, 2, 0.05)]
    [InlineData(false, 1, 0.4)]
    [InlineData(true, 2, 0.01)]
    public void HammingNearestNeighbors_BothStrategiesEqualBruteForce(bool leaveOneOut, int strategyIndex, double density)
    {
        var strategy = (HammingNearestNeighbors.Strategy)strategyIndex;
        var q = Fixtures.Random(150, 90, density, seed: 4);
        var r = leaveOneOut ? q : Fixtures.Random(170, 90, density, seed: 5);
        var (dist, index) = HammingNearestNeighbors.Search(q, r, leaveOneOut, 2, default, strategy);
        for (int i = 0; i < q.PatientCount; i++)
        {
            int best = int.MaxValue, bestIndex = -1;
            for (int j = 0; j < r.PatientCount; j++)
            {
                if (leaveOneOut && i == j)
                {
                    continue;
                }

                int d = Naive.Hamming(q, i, r, j);
                if (d < best)
                {
                    best = d;
                    bestIndex = j;
                }
            }

            Assert.Equal(best, dist[i]);
            Assert.Equal(bestIndex, index[i]);
        }
    }

    [Fact]
    public void KolmogorovSmirnov_HandComputed()
    {
        // CDFs of {1,2,3} and {2,3,4,5}: largest gap at x = 1 (1/3 − 0) and x = 3 (1 − 2/4 = 0.5).
        Assert.Equal(0.5, Stats.KolmogorovSmirnov([1, 2, 3], [2, 3, 4, 5]), 12);
        Assert.Equal(0.0, Stats.KolmogorovSmirnov([1, 2], [2, 1]));
        Assert.Equal(1.0, Stats.KolmogorovSmirnov([1, 2], [3, 4]));
    }

    [Fact]
    public void Stats_HandComputed()
    {
        // r2_score([1,2,3],[1,2,4]) = 1 − 1/2.
        Assert.Equal(0.5, Stats.RSquared([1, 2, 3], [1, 2, 4]), 12);
        Assert.True(double.IsNaN(Stats.Pearson([1, 2, 3], [5, 5, 5])));
        Assert.True(double.IsNaN(Stats.Spearman([1, 1, 1], [1, 2, 3])));
        // Spearman with ties: ranks x = (1, 2.5, 2.5, 4), y = (1, 2, 3, 4).
        Assert.Equal(NaiveStatistics.Pearson([1, 2.5, 2.5, 4], [1, 2, 3, 4]), Stats.Spearman([1, 2, 2, 3], [10, 20, 30, 40]), 12);
        // Lengths {1,1,2} vs {2,2,3}: TV = ½(|2/3−0| + |1/3−2/3| + |0−1/3|) = 2/3; W1 = Σ|CDF gap| = 2/3 + 1/3 = 1.
        var p = Stats.Histogram([1, 1, 2], 3);
        var q = Stats.Histogram([2, 2, 3], 3);
        Assert.Equal(2.0 / 3, Stats.TotalVariation(p, q), 12);
        Assert.Equal(1.0, Stats.Wasserstein1(p, q), 12);
        Assert.Equal(2.5, Stats.Median([4, 1, 3, 2]));
        Assert.Equal(0.8, Stats.F1(2, 0, 1), 12);
    }
}
