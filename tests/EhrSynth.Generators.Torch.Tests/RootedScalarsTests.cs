using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch.Tests;

public class RootedScalarsTests
{
    private static readonly float[] X = [-2f, -0.5f, 0f, 0.25f, 3f];
    private static readonly float[] Y = [1f, 2f, -1f, 0.5f, -3f];

    private static float[] Run(Func<Tensor, Tensor, Tensor> op)
    {
        using var scope = NewDisposeScope();
        return op(tensor(X), tensor(Y)).data<float>().ToArray();
    }

    private static float[] Naive(Func<float, float, float> op) => X.Zip(Y, op).ToArray();

    [Fact]
    public void Helpers_MatchScalarArithmetic()
    {
        Assert.Equal(Naive((x, y) => x + y), Run((x, y) => x.Plus(y)));
        Assert.Equal(Naive((x, y) => x - y), Run((x, y) => x.Minus(y)));
        Assert.Equal(Naive((x, _) => x + 1.5f), Run((x, _) => x.Plus(1.5)));
        Assert.Equal(Naive((x, _) => 1 - x), Run((x, _) => x.SubtractedFrom(1)));
        Assert.Equal(Naive((x, _) => x * -4f), Run((x, _) => x.Times(-4)));
        Assert.Equal(Naive((x, _) => x / 4f), Run((x, _) => x.Over(4)));
        Assert.Equal(Naive((x, _) => Math.Clamp(x, -1f, 0.5f)), Run((x, _) => x.ClampTo(-1, 0.5)));
        Assert.Equal(Naive((x, y) => (x * 0.75f) + (y * 0.25f)), Run((x, y) => x.clone().ScaleAdd_(0.75, y, 0.25)));
    }

    [Fact]
    public void ClampInPlace_ChangesTheTensorItself()
    {
        using var scope = NewDisposeScope();
        var x = tensor(X);
        x.ClampTo_(-1, 1);
        Assert.Equal(X.Select(v => Math.Clamp(v, -1f, 1f)), x.data<float>().ToArray());
    }

    [Fact]
    public void FilledAndRange_BuildTheExpectedTensors()
    {
        using var scope = NewDisposeScope();
        var filled = RootedScalars.Filled([2, 3], 7, CPU, ScalarType.Int64);
        Assert.Equal([2L, 3], filled.shape);
        Assert.All(filled.data<long>().ToArray(), v => Assert.Equal(7, v));
        Assert.Equal([3L, 4, 5, 6], RootedScalars.Range(3, 7, ScalarType.Int64, CPU).data<long>().ToArray());
    }
}
