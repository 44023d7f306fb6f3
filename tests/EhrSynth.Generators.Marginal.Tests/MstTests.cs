using EhrSynth.Generators.Data;
using EhrSynth.Generators.Marginal.Mst;
using EhrSynth.Generators.Metrics.Baselines;
using EhrSynth.Generators.Metrics.Fidelity;
using EhrSynth.Generators.Privacy;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Marginal.Tests;

public class MstTests
{
    private static readonly EhrDataset Data = Fixtures.Public(Fixtures.Structured(patients: 1_200, codes: 16, seed: 11));

    [Fact]
    public void PairIndex_AndPair_AreInverse_InRowOrder()
    {
        const int d = 37;
        long expected = 0;
        for (int a = 0; a < d; a++)
        {
            for (int b = a + 1; b < d; b++)
            {
                Assert.Equal(expected, TreeSelection.PairIndex(a, b, d));
                Assert.Equal((a, b), TreeSelection.Pair(expected, d));
                expected++;
            }
        }

        Assert.Equal((long)d * (d - 1) / 2, expected);
    }

    [Fact]
    public void Selection_WithoutNoise_IsTheMaximumSpanningTree()
    {
        // 4 codes, scores by hand; Kruskal in score order: (0,1) 9, (2,3) 8, then (0,2) 7 joins the two.
        double[] score = [9, 7, 1, 5, 2, 8];                     // (0,1) (0,2) (0,3) (1,2) (1,3) (2,3)
        var edges = TreeSelection.Select(4, [true, true, true, true], score, double.PositiveInfinity, new Random(1), default);
        Assert.Equal([(0, 1), (2, 3), (0, 2)], edges);
    }

    [Fact]
    public void Selection_DrawsTheFirstEdgeWithTheExponentialMechanismsProbabilities()
    {
        // 3 codes, 2 draws; the first draw over all 3 pairs has P ∝ exp(ε₀ s / 2) with ε₀ = √(8ρ/2).
        double[] score = [0, 1, 3];                               // (0,1) (0,2) (1,2)
        const double rho = 0.5;
        double eps = Math.Sqrt(8 * rho / 2);
        double[] weight = [.. score.Select(s => Math.Exp(eps * s / 2))];
        var rng = new Random(5);
        var firsts = new int[3];
        const int runs = 20_000;
        for (int r = 0; r < runs; r++)
        {
            var edges = TreeSelection.Select(3, [true, true, true], score, rho, rng, default);
            Assert.Equal(2, edges.Count);
            firsts[(int)TreeSelection.PairIndex(edges[0].A, edges[0].B, 3)]++;
        }

        for (int i = 0; i < 3; i++)
        {
            double p = weight[i] / weight.Sum();
            double sd = Math.Sqrt(p * (1 - p) / runs);
            Assert.InRange(firsts[i] / (double)runs, p - (5 * sd), p + (5 * sd));
        }
    }

    [Fact]
    public void Selection_KeepsIneligibleCodesOutOfEveryPair()
    {
        double[] score = [9, 7, 1, 5, 2, 8];
        var edges = TreeSelection.Select(4, [true, false, true, true], score, 1.0, new Random(2), default);
        Assert.Equal(2, edges.Count);
        Assert.DoesNotContain(edges, e => e.A == 1 || e.B == 1);
    }

    [Fact]
    public void TreeInference_BeliefPropagation_MatchesEnumeration_AndExactMeasurementsAreRecovered()
    {
        // A path 0–1–2 plus 1–3; exact tables from a known joint distribution, measured with tiny σ.
        (int, int)[] edges = [(0, 1), (1, 2), (3, 1)];
        var rng = new Random(3);
        var joint = new double[16];
        for (int x = 0; x < 16; x++)
        {
            // a tree distribution: p(x0) p(x1|x0) p(x2|x1) p(x3|x1)
            int x0 = x & 1, x1 = (x >> 1) & 1, x2 = (x >> 2) & 1, x3 = (x >> 3) & 1;
            joint[x] = (x0 == 1 ? 0.3 : 0.7) * (x1 == x0 ? 0.8 : 0.2) * (x2 == x1 ? 0.6 : 0.4) * (x3 == 1 ? (x1 == 1 ? 0.9 : 0.1) : (x1 == 1 ? 0.1 : 0.9));
        }

        double Table(int a, int b, int va, int vb) =>
            Enumerable.Range(0, 16).Where(x => ((x >> a) & 1) == va && ((x >> b) & 1) == vb).Sum(x => joint[x]) * 1000;
        var model = new TreeInference(4, edges, 1000);
        for (int e = 0; e < edges.Length; e++)
        {
            var (a, b) = edges[e];
            model.Measure(e, [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], [Table(a, b, 0, 0), Table(a, b, 0, 1), Table(a, b, 1, 0), Table(a, b, 1, 1)], 0.01);
        }

        model.Fit(2_000, default);
        for (int e = 0; e < edges.Length; e++)
        {
            var (a, b) = edges[e];
            Assert.Equal(Table(a, b, 1, 1), model.Marginals[(4 * e) + 3], 0.5);
            Assert.Equal(Table(a, b, 0, 1), model.Marginals[(4 * e) + 1], 0.5);
        }
    }

    [Fact]
    public async Task WithoutNoise_LearnsThePairsTheFloorCannot()
    {
        var (train, holdout) = Data.Split(0.8, seed: 1);
        using var mst = new MstGenerator(new MstOptions { Seed = 1, Epsilon = null });
        await mst.FitAsync(train);
        var synthetic = mst.Generate(holdout.PatientCount, seed: 2);
        var floor = IndependentMarginalsGenerator.Sample(train, holdout.PatientCount, seed: 2);
        var metric = new CooccurrenceMetric();
        double mstR2 = metric.Evaluate(holdout, synthetic)["bigram_r2"], floorR2 = metric.Evaluate(holdout, floor)["bigram_r2"];
        Assert.True(mstR2 > floorR2 + 0.1, $"MST {mstR2:F3}, floor {floorR2:F3}");
        Assert.Equal(15, mst.Edges.Count);                                     // a spanning tree of 16 codes
        Assert.Null(mst.PrivacyGuarantee);
    }

    [Fact]
    public async Task PrivateFit_SpendsExactlyRho_InThirds_AndReportsTheGuarantee()
    {
        using var mst = new MstGenerator(new MstOptions { Seed = 1, Epsilon = 3, Delta = 1e-5, Measurements = MstMeasurements.Sparse, CodeCap = 4 });
        await mst.FitAsync(Data);
        var g = mst.PrivacyGuarantee!;
        double rho = ZcdpConversion.Rho(3, 1e-5);
        Assert.Equal(rho, g.Rho!.Value, 12);
        Assert.Equal(3, g.Epsilon);
        Assert.Equal(3, ZcdpConversion.Epsilon(rho, 1e-5), 6);
        // By hand: one-way σ² = (1 + K)/(2ρ/3), pairs σ² = K/(2ρ/3), selection ε₀ = √(8(ρ/3)/15) for 15 draws.
        double oneWay = ZcdpConversion.Gaussian(Math.Sqrt(1 + 4), Math.Sqrt(5 / (2 * rho / 3)));
        double pairs = ZcdpConversion.Gaussian(Math.Sqrt(4), Math.Sqrt(4 / (2 * rho / 3)));
        double selection = 15 * ZcdpConversion.Exponential(Math.Sqrt(8 * (rho / 3) / 15));
        Assert.Equal(rho, oneWay + pairs + selection, 12);
        Assert.Contains(FormattableString.Invariant($"σ one-way {Math.Sqrt(5 / (2 * rho / 3)):G4}"), g.Mechanism, StringComparison.Ordinal);
        Assert.Equal(50, mst.Generate(50).PatientCount);
    }

    [Fact]
    public async Task PrivateFit_SpendsExactlyRho_InTheSharesOfItsBudgetSplit()
    {
        using var mst = new MstGenerator(new MstOptions { Seed = 1, Epsilon = 3, Delta = 1e-5, Measurements = MstMeasurements.Sparse, CodeCap = 4, BudgetSplit = MstBudgetSplit.OneWayHalf });
        await mst.FitAsync(Data);
        var g = mst.PrivacyGuarantee!;
        double rho = ZcdpConversion.Rho(3, 1e-5);
        // By hand: one-way σ² = (1 + K)/(2ρ/2), pairs σ² = K/(2ρ/4), selection ε₀ = √(8(ρ/4)/15) for 15 draws.
        double oneWay = ZcdpConversion.Gaussian(Math.Sqrt(1 + 4), Math.Sqrt(5 / (2 * rho / 2)));
        double pairs = ZcdpConversion.Gaussian(Math.Sqrt(4), Math.Sqrt(4 / (2 * rho / 4)));
        double selection = 15 * ZcdpConversion.Exponential(Math.Sqrt(8 * (rho / 4) / 15));
        Assert.Equal(rho, oneWay + pairs + selection, 12);
        Assert.Contains(FormattableString.Invariant($"σ one-way {Math.Sqrt(5 / (2 * rho / 2)):G4}, σ pairs {Math.Sqrt(4 / (2 * rho / 4)):G4}"), g.Mechanism, StringComparison.Ordinal);
        Assert.Contains("ρ 0.5 one-way · 0.25 tree · 0.25 pairs (a departure)", MstGenerator.Describe(mst.Options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5, 0.5, 0.5)]
    [InlineData(1.0, 0.0, 0.0)]
    [InlineData(0.5, -0.25, 0.75)]
    public void ABudgetSplit_ThatIsNotThreePositiveSharesOfOne_IsAnOptionsError(double oneWay, double selection, double pairs)
    {
        var e = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => new MstGenerator(new MstOptions { Epsilon = 1, BudgetSplit = new MstBudgetSplit(oneWay, selection, pairs) }));
        Assert.Contains("BudgetSplit must be three positive shares summing to 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateFit_OverAVocabularyReadFromThePatients_IsRefused()
    {
        using var mst = new MstGenerator(new MstOptions { Seed = 1 });
        var e = await Assert.ThrowsAsync<ArgumentException>(() => mst.FitAsync(Fixtures.Structured(patients: 100, codes: 8, seed: 1)));
        Assert.Contains("public code list", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveThenLoad_GeneratesIdentically_AndKeepsTheGuarantee()
    {
        using var dir = new TempDirectory();
        using var mst = new MstGenerator(new MstOptions { Seed = 1, Epsilon = 8, Delta = 1e-5 });
        await mst.FitAsync(Data);
        mst.Save(dir.File("mst"));
        using var loaded = MstGenerator.Load(dir.File("mst"));
        var a = mst.Generate(40, seed: 9);
        var b = loaded.Generate(40, seed: 9);
        for (int p = 0; p < 40; p++)
        {
            Assert.Equal(a.GetCodes(p).ToArray(), b.GetCodes(p).ToArray());
        }

        Assert.Equal(mst.PrivacyGuarantee, loaded.PrivacyGuarantee);
    }

    [Fact]
    public void Options_ListEveryProblem()
    {
        var e = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            new MstGenerator(new MstOptions { Epsilon = -1, Delta = 2, SupportThreshold = -3, CodeCap = 0 }));
        foreach (var name in new[] { "Epsilon", "Delta", "SupportThreshold", "CodeCap" })
        {
            Assert.Contains(name, e.Message, StringComparison.Ordinal);
        }
    }
}
