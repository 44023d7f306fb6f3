using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Gpt2.Modules;

/// <summary>
/// GPT-2 with its language-model head tied to the token embedding (HF <c>GPT2LMHeadModel</c>). Parameter names map one
/// to one to Hugging Face state-dict keys (<c>transformer.h.0.attn.c_attn.weight</c>, …); HF stores the Conv1D weights
/// transposed, which <see cref="Gpt2Checkpoint"/> handles.
/// </summary>
internal sealed class Gpt2LmHeadNet : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "transformer")]
    private readonly Gpt2Net _transformer;

    public Gpt2LmHeadNet(Gpt2Config config)
        : base(nameof(Gpt2LmHeadNet))
    {
        Config = config;
        _transformer = new Gpt2Net(config);
        RegisterComponents();
    }

    public Gpt2Config Config { get; }

    public Gpt2Net Transformer => _transformer;

    /// <summary>Logits <c>[B, T, V]</c> of tokens <c>[B, T]</c>.</summary>
    public override Tensor forward(Tensor idx) => Forward(idx, null, 0);

    public Tensor Forward(Tensor idx, KvCache? cache, int position) =>
        HiddenToLogits(_transformer.Forward(idx, cache, position));                     // [B, T, V]

    /// <summary>The tied head: hidden <c>[..., C]</c> → logits <c>[..., V]</c>.</summary>
    public Tensor HiddenToLogits(Tensor hidden) => hidden.matmul(_transformer.TokenEmbedding.t());

    /// <summary>
    /// GPT-2's initialisation: every weight matrix and embedding N(0, 0.02) (TorchSharp's Embedding default is N(0, 1)),
    /// biases 0, LayerNorms 1/0, and the residual projections (<c>attn.c_proj</c>, <c>mlp.c_proj</c>) N(0, 0.02/√(2·n_layer)).
    /// </summary>
    public void InitializeWeights()
    {
        using var noGrad = no_grad();
        double std = Config.InitializerRange;
        foreach (var (name, p) in named_parameters())
        {
            if (p.dim() == 2)
            {
                nn.init.normal_(p, 0, std);
            }
            else if (name.EndsWith("bias", StringComparison.Ordinal))
            {
                nn.init.zeros_(p);
            }
            else
            {
                nn.init.ones_(p);
            }
        }

        double residual = std / Math.Sqrt(2.0 * Config.Layers);
        foreach (var block in _transformer.Blocks)
        {
            nn.init.normal_(block.Attention.OutputProjection.weight!, 0, residual);
            nn.init.normal_(block.Mlp.OutputProjection.weight!, 0, residual);
        }
    }
}
