using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// Tensor arithmetic that never hands TorchSharp an unrooted <see cref="Scalar"/>.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 turns every number argument (<c>a + b</c> passes alpha = 1; <c>x * 0.5</c>, <c>clamp(0, 1)</c>,
/// <c>full(shape, v)</c>, <c>arange(n)</c>) into a <see cref="Scalar"/> that nobody disposes. Once its native handle
/// has been read the object is unreachable, so a collection triggered by another thread (a logger, a progress handler,
/// a parallel test) can run its finalizer and free the native scalar while the call still reads it: a
/// nondeterministic "Expected false to be true … toFloat" crash (dotnet/TorchSharp#1434, #1496). Model and sampler
/// code therefore uses these helpers, which pass either a process-lifetime scalar or one held by a <c>using</c> until
/// the native call has returned. TorchSharp's own optimizers and <c>BatchNorm</c> create such scalars too, so the
/// library uses its own (<see cref="Optimizers.Adam"/>, <see cref="Optimizers.AdamW"/>, <see cref="RootedBatchNorm1d"/>),
/// and the build bans every TorchSharp member that creates one (eng/BannedSymbols*.txt).
/// </remarks>
public static class RootedScalars
{
    /// <summary>The number 1, e.g. the alpha of <c>x.add(y, One)</c>.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The number 0, e.g. <c>logits.gt(Zero)</c>.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>x + y.</summary>
    public static Tensor Plus(this Tensor x, Tensor y) => x.add(y, One);

    /// <summary>x − y.</summary>
    public static Tensor Minus(this Tensor x, Tensor y) => x.sub(y);   // TorchSharp's sub(Tensor) takes no alpha

    /// <summary>x + a.</summary>
    public static Tensor Plus(this Tensor x, double a)
    {
        using var s = a.ToScalar();
        return x.add(s, One);
    }

    /// <summary>a − x.</summary>
    public static Tensor SubtractedFrom(this Tensor x, double a)
    {
        using var s = a.ToScalar();
        return x.neg().add_(s, One);
    }

    /// <summary>x · a.</summary>
    public static Tensor Times(this Tensor x, double a)
    {
        using var s = a.ToScalar();
        return x.mul(s);
    }

    /// <summary>x / a.</summary>
    public static Tensor Over(this Tensor x, double a)
    {
        using var s = a.ToScalar();
        return x.div(s);
    }

    /// <summary>x clamped to [lo, hi].</summary>
    public static Tensor ClampTo(this Tensor x, double lo, double hi)
    {
        using var l = lo.ToScalar();
        using var h = hi.ToScalar();
        return x.clamp(l, h);
    }

    /// <summary>x clamped to [lo, hi] in place.</summary>
    public static Tensor ClampTo_(this Tensor x, double lo, double hi)
    {
        using var l = lo.ToScalar();
        using var h = hi.ToScalar();
        return x.clamp_(l, h);
    }

    /// <summary>x · a + y · b in place on x (an exponential-moving-average update with a = d, b = 1 − d).</summary>
    public static Tensor ScaleAdd_(this Tensor x, double a, Tensor y, double b)
    {
        using var sa = a.ToScalar();
        using var sb = b.ToScalar();
        return x.mul_(sa).add_(y, sb);
    }

    /// <summary>A float32 tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Filled(long[] shape, double value, Device device, ScalarType dtype = ScalarType.Float32)
    {
        using var s = value.ToScalar();
        return full(shape, s, dtype: dtype, device: device);
    }

    /// <summary>[start, stop) as <paramref name="dtype"/>.</summary>
    public static Tensor Range(long start, long stop, ScalarType dtype, Device device)
    {
        using var a = start.ToScalar();
        using var b = stop.ToScalar();
        return arange(a, b, One, dtype: dtype, device: device);
    }

    /// <summary>x² (TorchSharp's <c>square()</c> passes an unrooted exponent).</summary>
    public static Tensor Square(this Tensor x) => x.mul(x);

    /// <summary>
    /// Leaky ReLU, max(x, slope · x) for 0 ≤ slope ≤ 1 (TorchSharp's <c>leaky_relu</c> passes an unrooted slope). The
    /// gradient is 1 for x &gt; 0 and slope for x &lt; 0, as in PyTorch.
    /// </summary>
    public static Tensor LeakyRelu(this Tensor x, double slope)
    {
        if (slope is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(slope), slope, "The slope must be in [0, 1].");
        }

        return maximum(x, x.Times(slope));
    }
}
