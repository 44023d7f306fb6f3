using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Vae.Modules;

/// <summary>The CorGAN repository's MLP encoder: Linear D → hidden, ReLU, then μ and log σ² heads.</summary>
internal sealed class MlpEncoderNet : nn.Module<Tensor, (Tensor Mu, Tensor LogVar)>
{
    [ComponentName(Name = "fc")]
    private readonly Linear _fc;

    [ComponentName(Name = "mu")]
    private readonly Linear _mu;

    [ComponentName(Name = "logvar")]
    private readonly Linear _logVar;

    public MlpEncoderNet(int codes, int hidden, int latent)
        : base(nameof(MlpEncoderNet))
    {
        _fc = nn.Linear(codes, hidden);
        _mu = nn.Linear(hidden, latent);
        _logVar = nn.Linear(hidden, latent);
        RegisterComponents();
    }

    /// <summary>Values in the state of an encoder of these sizes.</summary>
    public static long StateSize(int codes, int hidden, int latent) =>
        ModuleSizes.Linear(codes, hidden) + (2 * ModuleSizes.Linear(hidden, latent));

    public override (Tensor Mu, Tensor LogVar) forward(Tensor x)
    {
        var h = nn.functional.relu(_fc.call(x));                 // [B, H]
        return (_mu.call(h), _logVar.call(h));                   // [B, Z], [B, Z]
    }
}
