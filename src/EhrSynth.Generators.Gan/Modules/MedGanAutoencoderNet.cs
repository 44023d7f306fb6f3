using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan.Modules;

/// <summary>medGAN's autoencoder (binary mode): encoder Linear D → 128, tanh; decoder Linear 128 → D, sigmoid (logits here).</summary>
internal sealed class MedGanAutoencoderNet : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "encoder")]
    private readonly Linear _encoder;

    [ComponentName(Name = "decoder")]
    private readonly Linear _decoder;

    public MedGanAutoencoderNet(int codes, int embedding)
        : base(nameof(MedGanAutoencoderNet))
    {
        _encoder = nn.Linear(codes, embedding);
        _decoder = nn.Linear(embedding, codes);
        RegisterComponents();
    }

    /// <summary>The decoder's parameters (fine-tuned with the generator).</summary>
    public IEnumerable<Parameter> DecoderParameters => _decoder.parameters();

    /// <summary>Reconstruction logits <c>[B, D]</c>.</summary>
    /// <summary>Values in the state of an autoencoder of these sizes.</summary>
    public static long StateSize(int codes, int embedding) => ModuleSizes.Linear(codes, embedding) + ModuleSizes.Linear(embedding, codes);

    public override Tensor forward(Tensor x) => Decode(_encoder.call(x).tanh());   // [B, 128] → [B, D]

    /// <summary>Logits of the decoded embedding <c>[B, 128]</c> → <c>[B, D]</c>.</summary>
    public Tensor Decode(Tensor h) => _decoder.call(h);
}
