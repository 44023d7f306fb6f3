using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Gpt2.Modules;

/// <summary>The feed-forward block (HF <c>GPT2MLP</c>: <c>c_fc</c>, tanh GELU, <c>c_proj</c>, dropout).</summary>
internal sealed class Gpt2Mlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "c_fc")]
    private readonly Linear _cFc;

    [ComponentName(Name = "c_proj")]
    private readonly Linear _cProj;

    [ComponentName(Name = "act")]
    private readonly GELU _gelu;

    [ComponentName(Name = "dropout")]
    private readonly Dropout _dropout;

    public Gpt2Mlp(Gpt2Config config)
        : base(nameof(Gpt2Mlp))
    {
        _cFc = nn.Linear(config.Embedding, config.InnerWidth);
        _cProj = nn.Linear(config.InnerWidth, config.Embedding);
        _gelu = nn.GELU(GELU.Approximate.tanh);
        _dropout = nn.Dropout(config.ResidualDropout);
        RegisterComponents();
    }

    public Linear OutputProjection => _cProj;

    public override Tensor forward(Tensor x) =>
        _dropout.call(_cProj.call(_gelu.call(_cFc.call(x))));     // [B, T, C] → [B, T, 4C] → [B, T, C]
}
