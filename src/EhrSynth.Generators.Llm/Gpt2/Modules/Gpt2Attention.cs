using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Gpt2.Modules;

/// <summary>Causal self-attention with a fused q/k/v projection (HF <c>GPT2Attention</c>: <c>c_attn</c>, <c>c_proj</c>).</summary>
internal sealed class Gpt2Attention : nn.Module<Tensor, Tensor>
{
    private readonly int _heads;
    private readonly double _attentionDropout;

    [ComponentName(Name = "c_attn")]
    private readonly Linear _cAttn;

    [ComponentName(Name = "c_proj")]
    private readonly Linear _cProj;

    [ComponentName(Name = "resid_dropout")]
    private readonly Dropout _residDropout;

    public Gpt2Attention(Gpt2Config config)
        : base(nameof(Gpt2Attention))
    {
        _heads = config.Heads;
        _attentionDropout = config.AttentionDropout;
        _cAttn = nn.Linear(config.Embedding, 3 * config.Embedding);
        _cProj = nn.Linear(config.Embedding, config.Embedding);
        _residDropout = nn.Dropout(config.ResidualDropout);
        RegisterComponents();
    }

    public Linear QkvProjection => _cAttn;

    public Linear OutputProjection => _cProj;

    public override Tensor forward(Tensor x) => Forward(x, null, 0, 0);

    /// <summary>Attention over the cache's first <paramref name="position"/> positions plus x's T new ones.</summary>
    public Tensor Forward(Tensor x, KvCache? cache, int layer, int position)
    {
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        long hs = c / _heads;
        var qkv = _cAttn.call(x).view(b, t, 3, _heads, hs).permute(2, 0, 3, 1, 4);      // [3, B, nh, T, hs]
        Tensor q = qkv[0], k = qkv[1], v = qkv[2];                                      // [B, nh, T, hs] each
        if (cache is not null)
        {
            (k, v) = cache.Append(layer, k, v, position);                               // [B, nh, pos+T, hs]
        }

        // A prompt (position 0) needs the causal mask; a single new token attends to everything before it.
        bool causal = position == 0 && t > 1;
        if (position > 0 && t > 1)
        {
            throw new NotSupportedException("Only prompts at position 0 or single tokens after them are supported.");
        }

        var y = nn.functional.scaled_dot_product_attention(q, k, v, p: training ? _attentionDropout : 0, is_casual: causal); // [B, nh, T, hs]
        y = y.transpose(1, 2).contiguous().view(b, t, c);                               // [B, T, C]
        return _residDropout.call(_cProj.call(y));                                       // [B, T, C]
    }
}
