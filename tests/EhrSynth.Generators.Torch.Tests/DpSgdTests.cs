using EhrSynth.Generators.Data;
using EhrSynth.Generators.Testing;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch.Tests;

public class DpSgdTests
{
    private static readonly EhrDataset Data = Fixtures.Structured(patients: 40, codes: 12, seed: 3);

    /// <summary>A linear model whose squared output, times <paramref name="gain"/>, is the loss: gradients grow with the record's codes.</summary>
    private static (Linear Model, PrivateObjective Objective) Model(double gain, Action<StepContext>? update = null)
    {
        random.manual_seed(1);
        var model = nn.Linear(Data.CodeCount, 3);
        var objective = new PrivateObjective(
            (data, i, _) => model.call(DenseBatch.Build(data, [i], CPU)).Square().sum().Times(gain),   // [1, D] → []
            [.. model.parameters()],
            update ?? (_ => { }));
        return (model, objective);
    }

    private static double Norm(Tensor[] parts) => Math.Sqrt(parts.Sum(t => t.Square().sum().item<float>()));

    private static int Busiest() => Data.Records.Select((r, i) => (r.Codes.Count, i)).MaxBy(t => t.Count).i;

    [Fact]
    public void EachPatientsClippedGradient_IsItsGradientCappedAtC()
    {
        using var scope = NewDisposeScope();
        using var rng = new Generator(1);
        const double clip = 0.5;
        foreach (double gain in new[] { 1e-4, 1e3 })                                              // one below the cap, one far above
        {
            var (_, objective) = Model(gain);
            var (raw, _) = DpSgd.ClippedGradientSum(objective, Data, [Busiest()], double.PositiveInfinity, rng);
            var (clipped, _) = DpSgd.ClippedGradientSum(objective, Data, [Busiest()], clip, rng);
            Assert.Equal(Math.Min(Norm(raw), clip), Norm(clipped), 4);
        }
    }

    [Fact]
    public void AnOutlierRecord_MovesTheClippedSumByAtMostC()
    {
        // Adding one patient with a huge gradient to a batch changes the sum of clipped gradients by at most C — the
        // sensitivity the Gaussian noise is calibrated to.
        using var scope = NewDisposeScope();
        using var rng = new Generator(1);
        const double clip = 1.0;
        var (_, objective) = Model(gain: 1e4);
        int outlier = Busiest();
        int[] others = [.. Enumerable.Range(0, Data.PatientCount).Where(i => i != outlier)];
        var (without, _) = DpSgd.ClippedGradientSum(objective, Data, others, clip, rng);
        var (with, _) = DpSgd.ClippedGradientSum(objective, Data, [.. others, outlier], clip, rng);
        var (alone, _) = DpSgd.ClippedGradientSum(objective, Data, [outlier], double.PositiveInfinity, rng);
        double moved = Norm([.. with.Zip(without, (a, b) => a - b)]);
        Assert.True(Norm(alone) > 100 * clip, $"the outlier's own gradient ({Norm(alone):G3}) should dwarf C");
        Assert.True(moved <= clip * (1 + 1e-5), $"the outlier moved the sum by {moved:G6} > C = {clip}");
        Assert.Equal(clip, moved, 4);
    }

    [Fact]
    public void TheNoise_HasStandardDeviationSigmaCOverTheExpectedBatch()
    {
        // With a zero loss only the noise is left: every gradient coordinate is N(0, (σC / qN)²).
        using var scope = NewDisposeScope();
        using var rng = new Generator(7);
        random.manual_seed(1);
        var weight = nn.Parameter(zeros(200, 100));
        Tensor? seen = null;
        var objective = new PrivateObjective((_, _, _) => weight.sum().Times(0), [weight], _ => seen = weight.grad!.clone());
        const double q = 0.25, sigma = 1.3, clip = 0.7;
        var phase = new TrainingPhase(Generation.TrainingPhaseName.DpSgd, 1, 10, _ => throw new InvalidOperationException());
        DpSgd.Step(objective, new StepContext(Data, phase, 1, 1, 1, rng, CPU, new EpochBatches(Data.PatientCount, 1, false)), q, sigma, clip);
        double expected = sigma * clip / (q * Data.PatientCount);
        double sd = seen!.std().item<float>();
        Assert.True(Math.Abs(sd / expected - 1) < 0.03, $"noise sd {sd:G4}, expected {expected:G4}");
        Assert.Equal(0, seen.mean().item<float>(), expected * 0.05);
    }

    [Fact]
    public void GhostClipping_EqualsMicrobatchesOfOne_OnAnMlp()
    {
        // Two independent computations of Σᵢ clip(∇ᵢ): one backward per patient, and ghost norms + one re-weighted backward.
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var first = nn.Linear(Data.CodeCount, 16);
        var second = nn.Linear(16, Data.CodeCount);
        Tensor Forward(Tensor x) => second.call(nn.functional.relu(first.call(x)));                              // [B, D]
        Tensor Losses(EhrDataset data, int[] patients)
        {
            var x = DenseBatch.Build(data, patients, CPU);                                                       // [B, D]
            return nn.functional.binary_cross_entropy_with_logits(Forward(x), x, reduction: nn.Reduction.None).sum(1).Times(40);   // [B]
        }

        var objective = new PrivateObjective((data, i, _) => Losses(data, [i]).sum(), [.. first.parameters(), .. second.parameters()], _ => { })
        {
            PatientLosses = (data, patients, _) => Losses(data, patients),
            Networks = [first, second],
        };
        int[] batch = [.. Enumerable.Range(0, 25)];
        using var rng = new Generator(1);

        // C at the median patient's gradient norm, so that both branches of the clip run.
        var norms = batch.Select(i => Norm(DpSgd.ClippedGradientSum(objective, Data, [i], double.PositiveInfinity, rng).Sums)).Order().ToList();
        double clip = norms[norms.Count / 2];
        Assert.True(norms[0] < clip && norms[^1] > clip);

        var (naive, naiveLoss) = DpSgd.ClippedGradientSum(objective, Data, batch, clip, rng);
        Assert.True(GhostClipping.TryClippedGradientSum(objective, Data, batch, clip, rng, out var ghost, out double ghostLoss));
        Assert.Equal(naiveLoss, ghostLoss, naiveLoss * 1e-5);
        for (int k = 0; k < naive.Length; k++)
        {
            double scale = naive[k].abs().max().item<float>();
            Assert.True(naive[k].allclose(ghost[k], rtol: 1e-4, atol: 1e-5 * scale), $"parameter {k} differs");
        }
    }

    [Fact]
    public void GhostClipping_DeclinesALayerThatRunsTwice()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var shared = nn.Linear(Data.CodeCount, Data.CodeCount);
        Tensor Losses(EhrDataset data, int[] patients) => shared.call(shared.call(DenseBatch.Build(data, patients, CPU))).Square().sum(1);   // [B]
        var objective = new PrivateObjective((data, i, _) => Losses(data, [i]).sum(), [.. shared.parameters()], _ => { })
        {
            PatientLosses = (data, patients, _) => Losses(data, patients),
            Networks = [shared],
        };
        using var rng = new Generator(1);
        Assert.False(GhostClipping.TryClippedGradientSum(objective, Data, [0, 1, 2], 1.0, rng, out _, out _));
    }

    [Fact]
    public void PoissonSampling_TakesEachPatientWithProbabilityQ()
    {
        using var rng = new Generator(11);
        var counts = new int[Data.PatientCount];
        const int draws = 2_000;
        for (int t = 0; t < draws; t++)
        {
            foreach (int i in DpSgd.PoissonBatch(Data.PatientCount, 0.1, rng, CPU))
            {
                counts[i]++;
            }
        }

        double mean = counts.Average() / draws;
        Assert.Equal(0.1, mean, 0.005);                                                          // 40 × 2,000 Bernoulli(0.1): sd ≈ 0.0015
        Assert.All(counts, c => Assert.InRange(c / (double)draws, 0.06, 0.14));
    }
}
