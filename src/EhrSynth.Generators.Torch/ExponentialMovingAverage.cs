using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// An exponential moving average of a network's weights (EHRDiff's <c>model/ema.py</c>): after update n,
/// <c>ema ← d·ema + (1 − d)·w</c> with <c>d = min(decay, (1 + n) / (10 + n))</c>, so early updates follow the weights
/// closely. The shadow is a second module of the same shape; buffers are copied.
/// </summary>
public static class ExponentialMovingAverage
{
    /// <summary>The decay of update <paramref name="n"/> (0-based): min(decay, (1 + n) / (10 + n)).</summary>
    public static double DecayAt(long n, double decay) => Math.Min(decay, (1.0 + n) / (10.0 + n));

    /// <summary>Moves <paramref name="shadow"/> toward <paramref name="model"/> with decay <paramref name="d"/>.</summary>
    public static void Update(nn.Module shadow, nn.Module model, double d)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var target = shadow.state_dict();
        foreach (var (key, value) in model.state_dict())
        {
            var s = target[key];
            if (s.is_floating_point())
            {
                s.ScaleAdd_(d, value, 1 - d);
            }
            else
            {
                s.copy_(value);
            }
        }
    }

    /// <summary>Makes <paramref name="shadow"/> an exact copy of <paramref name="model"/>.</summary>
    public static void CopyInto(nn.Module shadow, nn.Module model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var target = shadow.state_dict();
        foreach (var (key, value) in model.state_dict())
        {
            target[key].copy_(value);
        }
    }
}
