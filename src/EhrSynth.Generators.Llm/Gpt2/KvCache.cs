using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Gpt2;

/// <summary>
/// Keys and values of every layer for a batch, preallocated for the maximum length on the model's device and owned by
/// this object (outside any dispose scope): generation writes each new position in place, with no per-token
/// reallocation or concatenation.
/// </summary>
internal sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    public KvCache(int layers, long batch, int heads, int maxLength, int headSize, Device device)
    {
        MaxLength = maxLength;
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            _keys[l] = zeros([batch, heads, maxLength, headSize], device: device).DetachFromDisposeScope();     // [B, nh, Tmax, hs]
            _values[l] = zeros([batch, heads, maxLength, headSize], device: device).DetachFromDisposeScope();   // [B, nh, Tmax, hs]
        }
    }

    public int MaxLength { get; }

    /// <summary>Stores k, v <c>[B, nh, T, hs]</c> at positions [position, position + T) and returns views of [0, position + T).</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v, int position)
    {
        long t = k.shape[2];
        if (position + t > MaxLength)
        {
            throw new InvalidOperationException($"The KV cache holds {MaxLength} positions; position {position} + {t} does not fit.");
        }

        _keys[layer].narrow(2, position, t).copy_(k);
        _values[layer].narrow(2, position, t).copy_(v);
        return (_keys[layer].narrow(2, 0, position + t), _values[layer].narrow(2, 0, position + t));   // [B, nh, pos+T, hs]
    }

    /// <summary>Keeps only the batch rows <paramref name="rows"/> <c>[B']</c> (finished sequences leave the batch).</summary>
    public void Keep(Tensor rows)
    {
        for (int l = 0; l < _keys.Length; l++)
        {
            var k = _keys[l].index_select(0, rows).DetachFromDisposeScope();     // [B', nh, Tmax, hs]
            var v = _values[l].index_select(0, rows).DetachFromDisposeScope();   // [B', nh, Tmax, hs]
            _keys[l].Dispose();
            _values[l].Dispose();
            (_keys[l], _values[l]) = (k, v);
        }
    }

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values))
        {
            t.Dispose();
        }
    }
}
