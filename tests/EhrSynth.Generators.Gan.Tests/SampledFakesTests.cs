using EhrSynth.Generators.Torch;
using EhrSynth.Generators.Gan.CorGan;
using EhrSynth.Generators.Gan.MedGan;
using EhrSynth.Generators.Testing;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan.Tests;

/// <summary>The quick presets' departures from the references: sampled fakes and CorGAN's per-code decoder bias.</summary>
public class SampledFakesTests
{
    [Fact]
    public void StraightThrough_ForwardIsTheSample_GradientIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        float[] row = [0f, 1f, 0.3f, 0.7f, 0.5f, 0.05f];
        var p = tensor(row).unsqueeze(0).expand(400, -1).contiguous().requires_grad_(true);      // [400, 6] leaf
        using var rngA = new Generator(7, CPU);
        using var rngB = new Generator(7, CPU);
        float[] expected = StraightThroughBernoulli.Sample(p, rngA).data<float>().ToArray();
        var sampled = StraightThroughBernoulli.SampleWithGradient(p, rngB);
        float[] actual = sampled.detach().data<float>().ToArray();

        Assert.All(expected, v => Assert.True(v is 0f or 1f, $"sample {v}"));
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-6);      // the same draws, to rounding of p + (s − p)
        }

        for (int j = 0; j < row.Length; j++)
        {
            double mean = Enumerable.Range(0, 400).Average(i => expected[(i * row.Length) + j]);
            double sd = Math.Sqrt(row[j] * (1 - row[j]) / 400);
            Assert.True(Math.Abs(mean - row[j]) <= (4 * sd) + 1e-9, $"code {j}: mean {mean} vs p {row[j]}");
        }

        var weights = arange(400 * 6, dtype: float32).reshape(400, 6);                           // [400, 6]
        (sampled * weights).sum().backward();
        Assert.Equal(weights.data<float>().ToArray(), p.grad!.data<float>().ToArray());          // d sample / d p = 1
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MedGanDiscriminator_SeesOnlyZeroOneRecords_WhenFakesAreSampled(bool sampled)
    {
        var data = Fixtures.Structured(patients: 64, codes: 20, seed: 1);
        using var g = new MedGanGenerator(new MedGanOptions { Seed = 1, PretrainEpochs = 1, PretrainBatchSize = 16, Epochs = 1, BatchSize = 32, EmbeddingDim = 8, DiscriminatorDims = [8], BurnInBatches = 2, DiscriminatorSteps = 1, SampledFakes = sampled, CheckModeCollapse = false, Threads = 1 });
        var inputs = new List<float[]>();
        g.BeforeDiscriminator = x => inputs.Add(x.detach().cpu().data<float>().ToArray());
        await g.FitAsync(data);

        Assert.Equal(2 * 3, inputs.Count);       // 2 iterations: real and fake in the D step, fake in the G step
        bool allBinary = inputs.All(values => values.All(v => Math.Abs(v - MathF.Round(v)) < 1e-6f));
        Assert.Equal(sampled, allBinary);
    }

    [Fact]
    public void CorGanDecoderCodeBias_StartsAtTheTrainingLogOdds_AndIsOffByDefault()
    {
        var data = Fixtures.Structured(patients: 64, codes: 20, seed: 1);
        using var with = new CorGanGenerator(new CorGanOptions { DecoderCodeBias = true });
        using var without = new CorGanGenerator();
        ((ITorchDiagnostics)with).BuildForInspection(data);
        ((ITorchDiagnostics)without).BuildForInspection(data);

        float[] bias = with.Autoencoder.Decoder.CodeBias!.data<float>().ToArray();
        for (int code = 0; code < 20; code++)
        {
            double p = Enumerable.Range(0, 64).Count(patient => data.HasCode(patient, code)) / 64.0;
            Assert.Equal(Math.Log((p + 1e-4) / (1 - p + 1e-4)), bias[code], 1e-4);
        }

        Assert.Null(without.Autoencoder.Decoder.CodeBias);
        long Count(CorGanGenerator g) => g.Autoencoder.Decoder.parameters().Sum(t => t.numel());
        Assert.Equal(Count(without) + 20, Count(with));
    }
}
