using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Vae.Modules;

/// <summary>The CorGAN repository's MLP decoder: Linear latent → hidden, ReLU, Linear hidden → D logits.</summary>
internal sealed class MlpDecoderNet : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "fc1")]
    private readonly Linear _fc1;

    [ComponentName(Name = "fc2")]
    private readonly Linear _fc2;

    public MlpDecoderNet(int codes, int hidden, int latent)
        : base(nameof(MlpDecoderNet))
    {
        _fc1 = nn.Linear(latent, hidden);
        _fc2 = nn.Linear(hidden, codes);
        RegisterComponents();
    }

    /// <summary>Values in the state of a decoder of these sizes.</summary>
    public static long StateSize(int codes, int hidden, int latent) =>
        ModuleSizes.Linear(latent, hidden) + ModuleSizes.Linear(hidden, codes);

    public override Tensor forward(Tensor z) =>
        _fc2.call(nn.functional.relu(_fc1.call(z)));             // [B, H] → [B, D] logits

    /// <summary>The per-code output bias.</summary>
    public Tensor OutputBias => _fc2.bias!;
}
