using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Gpt2.Modules;

/// <summary>The GPT-2 trunk (HF <c>GPT2Model</c>: <c>wte</c>, <c>wpe</c>, <c>h</c>, <c>ln_f</c>), returning final hidden states.</summary>
internal sealed class Gpt2Net : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "wte")]
    private readonly Embedding _wte;

    [ComponentName(Name = "wpe")]
    private readonly Embedding _wpe;

    [ComponentName(Name = "drop")]
    private readonly Dropout _drop;

    [ComponentName(Name = "h")]
    private readonly ModuleList<Gpt2Block> _h;

    [ComponentName(Name = "ln_f")]
    private readonly LayerNorm _lnF;

    public Gpt2Net(Gpt2Config config)
        : base(nameof(Gpt2Net))
    {
        _wte = nn.Embedding(config.VocabSize, config.Embedding);
        _wpe = nn.Embedding(config.Positions, config.Embedding);
        _drop = nn.Dropout(config.EmbeddingDropout);
        _h = new ModuleList<Gpt2Block>();
        for (int i = 0; i < config.Layers; i++)
        {
            _h.Add(new Gpt2Block(config));
        }

        _lnF = nn.LayerNorm(config.Embedding, config.LayerNormEpsilon);
        RegisterComponents();
    }

    public Parameter TokenEmbedding => _wte.weight!;

    public IReadOnlyList<Gpt2Block> Blocks => [.. _h];

    public override Tensor forward(Tensor idx) => Forward(idx, null, 0);

    /// <summary>Hidden states <c>[B, T, C]</c> of tokens <c>[B, T]</c> at positions [position, position + T).</summary>
    public Tensor Forward(Tensor idx, KvCache? cache, int position)
    {
        long t = idx.shape[1];
        var pos = RootedScalars.Range(position, position + t, ScalarType.Int64, idx.device);   // [T]
        var x = _drop.call(_wte.call(idx).Plus(_wpe.call(pos)));                       // [B, T, C]
        for (int i = 0; i < _h.Count; i++)
        {
            x = _h[i].Forward(x, cache, i, position);                                           // [B, T, C]
        }

        return _lnF.call(x);                                                                     // [B, T, C]
    }
}
