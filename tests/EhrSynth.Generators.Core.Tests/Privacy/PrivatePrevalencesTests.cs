using EhrSynth.Generators.Data;
using EhrSynth.Generators.Privacy;

namespace EhrSynth.Generators.Core.Tests.Privacy;

public class PrivatePrevalencesTests
{
    [Fact]
    public void WeightedCounts_CountAPatientWithMoreThanKCodesKOverKPerCode()
    {
        var data = EhrDataset.FromRecords(
        [
            new PatientRecord("p1", ["a", "b"]),
            new PatientRecord("p2", ["a", "b", "c", "d"]),
        ], new CodeVocabulary(["a", "b", "c", "d"]));
        // K = 2: p1 weighs 1 per code, p2 2/4 per code.
        Assert.Equal([1.5, 1.5, 0.5, 0.5], PrivatePrevalences.WeightedCounts(data, codeCap: 2));
        Assert.Equal([2.0, 2.0, 1.0, 1.0], PrivatePrevalences.WeightedCounts(data, codeCap: 4));
    }

    [Fact]
    public void OnePatient_MovesTheCountsByAtMostRootK_AndExactlyThatWithKCodes()
    {
        const int cap = 10;
        var vocabulary = new CodeVocabulary(Enumerable.Range(0, 60).Select(i => $"c{i}"));
        double largest = 0;
        for (int k = 1; k <= 60; k++)
        {
            var one = EhrDataset.FromRecords([new PatientRecord("p", [.. Enumerable.Range(0, k).Select(i => $"c{i}")])], vocabulary);
            double norm = Math.Sqrt(PrivatePrevalences.WeightedCounts(one, cap).Sum(x => x * x));   // ‖counts(D ∪ p) − counts(D)‖
            Assert.True(norm <= PrivatePrevalences.Sensitivity(cap) + 1e-12, $"k = {k}: {norm}");
            largest = Math.Max(largest, norm);
        }

        Assert.Equal(Math.Sqrt(cap), largest, 12);                             // k = K: √K codes of weight 1
    }

    [Fact]
    public void Release_AddsNoiseOfStandardDeviationZRootK_ClampedAtZero()
    {
        // 2,000 patients who all carry code 0 only; the other 19,999 codes have count 0, so their released count is
        // max(0, N(0, s²)) with s = z√K = 2·√10: zero half of the time, s·√(2/π) on average when positive.
        var vocabulary = new CodeVocabulary(Enumerable.Range(0, 20_000).Select(i => $"c{i}"));
        var data = EhrDataset.FromRecords(Enumerable.Range(0, 2_000).Select(i => new PatientRecord($"p{i}", ["c0"])), vocabulary);
        var released = PrivatePrevalences.Release(data, noiseMultiplier: 2, codeCap: 10, seed: 5);
        var rest = released.Skip(1).Select(p => p * 2_000).ToArray();
        double s = 2 * Math.Sqrt(10);
        Assert.InRange(rest.Count(c => c == 0) / (double)rest.Length, 0.48, 0.52);
        Assert.Equal(s * Math.Sqrt(2 / Math.PI), rest.Where(c => c > 0).Average(), s * 0.03);
        Assert.InRange(released[0], 1 - (4 * s / 2_000), 1.0);                // (2,000 + noise) / 2,000, clamped at 1
        Assert.Equal(released, PrivatePrevalences.Release(data, 2, 10, seed: 5));   // seeded
    }

    [Fact]
    public void TheRelease_ComposesWithTheSteps_AndTheNoiseIsCalibratedForWhatIsLeft()
    {
        var release = new RdpAccountant([2.0, 8.0]);
        release.ComposeGaussian(20);
        Assert.Equal([2.0 / 800, 8.0 / 800], release.Rdp);                      // α / (2z²)
        Assert.Equal(0, release.Steps);

        var spent = new RdpAccountant();
        spent.ComposeGaussian(20);
        double alone = NoiseCalibration.NoiseMultiplier(3, 1e-5, 0.01, 1_000);
        double after = NoiseCalibration.NoiseMultiplier(3, 1e-5, 0.01, 1_000, alreadySpent: spent);
        Assert.True(after > alone, $"{after} vs {alone}");
        var total = spent.Copy();
        total.Compose(after, 0.01, 1_000);
        Assert.InRange(total.GetEpsilon(1e-5).Epsilon, 2.99, 3.0);              // the release and the steps together spend the target

        var tooMuch = new RdpAccountant();
        tooMuch.ComposeGaussian(0.5);
        var e = Assert.Throws<InvalidOperationException>(() => NoiseCalibration.NoiseMultiplier(3, 1e-5, 0.01, 1_000, alreadySpent: tooMuch));
        Assert.Contains("already reaches the target", e.Message, StringComparison.Ordinal);
    }
}
