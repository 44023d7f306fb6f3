using EhrSynth.Generators.Gan.Modules;
using EhrSynth.Generators.Torch;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan.Tests;

/// <summary>
/// medGAN's TensorFlow initialisation: every variable Glorot-uniform, except the generator's BatchNorm, which
/// <c>tf.contrib.layers.batch_norm</c> creates with γ = 1 and β = 0 (issue #18: β used to get Glorot values too).
/// </summary>
public class MedGanInitTests
{
    [Fact]
    public void GeneratorBatchNorm_StartsAtGammaOneBetaZero()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var net = new ResidualGeneratorNet(16, 2, bias: false);
        GanInit.TensorFlowGlorot(net);

        var norms = net.modules().OfType<RootedBatchNorm1d>().ToList();
        Assert.Equal(2, norms.Count);
        foreach (var bn in norms)
        {
            Assert.All(bn.bias.data<float>().ToArray(), b => Assert.Equal(0f, b));
            Assert.All(bn.weight.data<float>().ToArray(), w => Assert.Equal(1f, w));
        }
    }

    [Fact]
    public void EveryOtherParameter_GetsTheGlorotDraw()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var net = new MinibatchDiscriminatorNet(40, [16, 8], minibatchAveraging: true);
        var before = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        GanInit.TensorFlowGlorot(net);

        foreach (var (name, p) in net.named_parameters())
        {
            var values = p.data<float>().ToArray();
            Assert.False(values.SequenceEqual(before[name]), $"{name} was not initialised");
            // Glorot-uniform limits: √(6/(fan_in+fan_out)) for matrices, √(3/n) for TensorFlow's bias vectors.
            double limit = p.dim() == 2 ? Math.Sqrt(6.0 / (p.shape[0] + p.shape[1])) : Math.Sqrt(3.0 / p.shape[0]);
            Assert.All(values, v => Assert.InRange(Math.Abs(v), 0, limit + 1e-6));
            Assert.True(values.Length < 8 || values.Max() - values.Min() > limit / 2, $"{name} does not look uniform over ±{limit:F3}");
        }
    }
}
