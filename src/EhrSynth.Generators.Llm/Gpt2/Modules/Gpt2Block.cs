using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Gpt2.Modules;

/// <summary>A pre-LayerNorm transformer block (HF <c>GPT2Block</c>: <c>ln_1</c>, <c>attn</c>, <c>ln_2</c>, <c>mlp</c>).</summary>
internal sealed class Gpt2Block : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "ln_1")]
    private readonly LayerNorm _ln1;

    [ComponentName(Name = "attn")]
    private readonly Gpt2Attention _attn;

    [ComponentName(Name = "ln_2")]
    private readonly LayerNorm _ln2;

    [ComponentName(Name = "mlp")]
    private readonly Gpt2Mlp _mlp;

    public Gpt2Block(Gpt2Config config)
        : base(nameof(Gpt2Block))
    {
        _ln1 = nn.LayerNorm(config.Embedding, config.LayerNormEpsilon);
        _attn = new Gpt2Attention(config);
        _ln2 = nn.LayerNorm(config.Embedding, config.LayerNormEpsilon);
        _mlp = new Gpt2Mlp(config);
        RegisterComponents();
    }

    public Gpt2Attention Attention => _attn;

    public Gpt2Mlp Mlp => _mlp;

    public override Tensor forward(Tensor x) => Forward(x, null, 0, 0);

    public Tensor Forward(Tensor x, KvCache? cache, int layer, int position)
    {
        x = x.Plus(_attn.Forward(_ln1.call(x), cache, layer, position));    // [B, T, C]
        return x.Plus(_mlp.call(_ln2.call(x)));                            // [B, T, C]
    }
}
