using EhrSynth.Generators.Data;
using EhrSynth.Generators.Metrics.Baselines;
using EhrSynth.Generators.Privacy;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Metrics.Tests;

/// <summary>The pairwise reference (Chow–Liu) and the private floor.</summary>
public class BaselineTests
{
    [Fact]
    public void MutualInformation_ByHand()
    {
        // Independent: 0. Perfectly tied at 1/2: ln 2.
        Assert.Equal(0, PairwiseTreeReference.MutualInformation(0.06, 0.2, 0.3), 12);
        Assert.Equal(Math.Log(2), PairwiseTreeReference.MutualInformation(0.5, 0.5, 0.5), 12);
    }

    [Fact]
    public void ChowLiu_LinksEachCodeToItsMostInformativePartner_AndReproducesTheirTables()
    {
        // Code 1 copies code 0; code 2 copies code 0 with noise; code 3 is independent.
        var rng = new Random(4);
        var builder = new EhrDatasetBuilder(new CodeVocabulary(["a", "b", "c", "d"]));
        for (int p = 0; p < 4_000; p++)
        {
            bool a = rng.NextDouble() < 0.3, c = rng.NextDouble() < 0.9 ? a : !a, d = rng.NextDouble() < 0.4;
            builder.AddPatient($"p{p}", [.. new[] { a ? 0 : -1, a ? 1 : -1, c ? 2 : -1, d ? 3 : -1 }.Where(x => x >= 0)]);
        }

        var data = builder.Build();
        var sample = PairwiseTreeReference.Sample(data, 20_000, seed: 7);
        double n = sample.PatientCount;
        double Both(int x, int y) => Enumerable.Range(0, sample.PatientCount).Count(p => sample.GetCodes(p).Contains(x) && sample.GetCodes(p).Contains(y)) / n;
        var counts = sample.CodeCounts();
        Assert.Equal(0.3, counts[0] / n, 2);
        Assert.Equal(counts[0], counts[1]);                                    // b copies a exactly: the edge a–b and its exact table
        Assert.Equal(Both(0, 1), counts[0] / n, 12);
        Assert.InRange(Both(0, 2), 0.3 * 0.9 - 0.015, 0.3 * 0.9 + 0.015);     // c hangs from a (or b) with P(c | a) = 0.9
        Assert.InRange(Both(0, 3), (counts[0] / n * counts[3] / n) - 0.015, (counts[0] / n * counts[3] / n) + 0.015);   // d independent
        Assert.Equal(0.4, counts[3] / n, 1);
    }

    [Fact]
    public async Task PrivateFloor_SpendsRhoOfEpsilonDelta_WithTheCappedSensitivity()
    {
        var data = Fixtures.Public(Fixtures.Structured(patients: 300, codes: 10, seed: 2));
        using var floor = new IndependentMarginalsGenerator(new IndependentMarginalsOptions { Seed = 1, Epsilon = 2, Delta = 1e-5, CodeCap = 4 });
        await floor.FitAsync(data);
        var g = floor.PrivacyGuarantee!;
        double rho = ZcdpConversion.Rho(2, 1e-5);
        Assert.Equal(rho, g.Rho!.Value, 12);
        // z = σ/√K with Δ = √K: Δ²/(2σ²) = 1/(2z²) = ρ.
        Assert.Contains(FormattableString.Invariant($"z {1 / Math.Sqrt(2 * rho):G4}, K 4"), g.Mechanism, StringComparison.Ordinal);
        Assert.Equal(20, floor.Generate(20).PatientCount);

        using var exact = new IndependentMarginalsGenerator();
        await exact.FitAsync(Fixtures.Structured(patients: 300, codes: 10, seed: 2));   // the exact floor needs no public list
        Assert.Null(exact.PrivacyGuarantee);
    }
}
