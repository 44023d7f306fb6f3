using EhrSynth.Generators.Diffusion.Modules;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Testing;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Diffusion.Tests;

/// <summary>EHRDiff v1 (<see cref="EhrDiffVersion.V1"/>): what differs from v2, one test each.</summary>
public class EhrDiffV1Tests
{
    private static EhrDiffOptions Tiny(EhrDiffVersion version, int epochs = 2)
    {
        var options = EhrDiffContractTests.Tiny(seed: 1, epochs, checkpointDirectory: null);
        (options.Version, options.V1SelectionEverySteps) = (version, 2);
        return options;
    }

    [Fact]
    public void V1Denoiser_TakesTheTimeEmbeddingAtTheInputBlockOnly()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(1);
        using var v1 = new DenoiserNet(10, [8, 6], 4, 5, timeInEveryBlock: false);
        using var v2 = new DenoiserNet(10, [8, 6], 4, 5);
        Assert.Equal(["time_proj.0.bias", "time_proj.0.weight"], v1.state_dict().Keys.Where(k => k.StartsWith("time_proj", StringComparison.Ordinal)).Order());
        Assert.Equal(3, v2.state_dict().Keys.Count(k => k.StartsWith("time_proj", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal)));
        Assert.Equal(DenoiserNet.StateSize(10, [8, 6], 4, 5, timeInEveryBlock: false), v1.state_dict().Values.Sum(t => t.numel()));

        // With the input block's projection zeroed, the noise level no longer reaches the output.
        using (no_grad())
        {
            foreach (var (name, p) in v1.named_parameters().Where(p => p.name.StartsWith("time_proj.0", StringComparison.Ordinal)))
            {
                p.zero_();
            }
        }

        var x = rand([3, 10]);
        var low = v1.call(x, tensor(new float[] { -2, -2, -2 }));
        var high = v1.call(x, tensor(new float[] { 3, 3, 3 }));
        Assert.True(low.allclose(high));
        Assert.False(v2.call(x, tensor(new float[] { -2, -2, -2 })).allclose(v2.call(x, tensor(new float[] { 3, 3, 3 }))));
    }

    [Fact]
    public async Task V1Sampler_ClampsEveryDenoisedEstimateToTheUnitInterval()
    {
        var data = Fixtures.Structured(patients: 64, codes: 12, seed: 2);
        using var v1 = new EhrDiffGenerator(Tiny(EhrDiffVersion.V1, epochs: 1));
        using var v2 = new EhrDiffGenerator(Tiny(EhrDiffVersion.V2, epochs: 1));
        await v1.FitAsync(data);
        await v2.FitAsync(data);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn([20, 12]).mul(tensor(50f));                                           // far outside [0, 1]
        var d1 = v1.SamplerDenoise(x, 0.5, 20);
        var d2 = v2.SamplerDenoise(x, 0.5, 20);
        Assert.InRange(d1.min().item<float>(), 0f, 1f);
        Assert.InRange(d1.max().item<float>(), 0f, 1f);
        Assert.True(d2.min().item<float>() < 0 || d2.max().item<float>() > 1, "v2 does not clamp (the test's input must leave [0, 1])");
    }

    [Fact]
    public async Task V1Fit_DropsTheLastBatch_HasNoEma_AndKeepsTheBestPearsonWeights()
    {
        var data = Fixtures.Structured(patients: 70, codes: 12, seed: 2);                 // 70 = 4 × 16 + 6: the 6 are dropped
        var steps = new List<long>();
        using var v1 = new EhrDiffGenerator(Tiny(EhrDiffVersion.V1, epochs: 3));
        await v1.FitAsync(data, new SyncProgress<TrainingProgress>(p =>
        {
            if (p.IsEpochEnd)
            {
                steps.Add(p.Step);
            }
        }));
        Assert.Equal([4L, 8L, 12L], steps);                                                 // ⌊70 / 16⌋ steps per epoch

        // Selection samples every 2 steps and at the last; the kept weights are those of the best.
        Assert.Equal([2L, 4L, 6L, 8L, 10L, 12L], v1.V1Selections.Select(s => s.Step));
        Assert.Equal(v1.V1Selections.Max(s => s.Pearson), v1.V1BestPearson);

        // No EMA: the sampling copy equals the trained weights.
        var net = v1.Net.state_dict();
        foreach (var (name, value) in v1.Ema.state_dict())
        {
            Assert.True(value.allclose(net[name], rtol: 0, atol: 0), $"{name}: the EMA copy differs from the weights");
        }
    }

    [Fact]
    public void PaperPreset_IsV1_AndSaysSo()
    {
        var paper = EhrDiffOptions.Paper(1);
        Assert.Equal(EhrDiffVersion.V1, paper.Version);
        Assert.Equal(EhrDiffVersion.V2, new EhrDiffOptions().Version);
        Assert.StartsWith("EHRDiff (EDM): v1, ", EhrDiffGenerator.Family.Describe(paper), StringComparison.Ordinal);
    }
}
