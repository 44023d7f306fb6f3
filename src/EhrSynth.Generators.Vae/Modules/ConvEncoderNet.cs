using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Vae.Modules;

/// <summary>The paper's encoder: two 1-D convolution layers of <c>channels</c> channels, then μ and log σ² heads.</summary>
internal sealed class ConvEncoderNet : nn.Module<Tensor, (Tensor Mu, Tensor LogVar)>
{
    [ComponentName(Name = "conv1")]
    private readonly Conv1d _conv1;

    [ComponentName(Name = "conv2")]
    private readonly Conv1d _conv2;

    [ComponentName(Name = "mu")]
    private readonly Linear _mu;

    [ComponentName(Name = "logvar")]
    private readonly Linear _logVar;

    public ConvEncoderNet(ConvGeometry g, int channels, int latent)
        : base(nameof(ConvEncoderNet))
    {
        _conv1 = nn.Conv1d(1, channels, g.Kernel, stride: g.Stride, padding: g.Padding);
        _conv2 = nn.Conv1d(channels, channels, g.Kernel, stride: g.Stride, padding: g.Padding);
        _mu = nn.Linear(channels * g.Length2, latent);
        _logVar = nn.Linear(channels * g.Length2, latent);
        RegisterComponents();
    }

    /// <summary>Values in the state of an encoder of this geometry.</summary>
    public static long StateSize(ConvGeometry g, int channels, int latent) =>
        ModuleSizes.Conv1d(1, channels, g.Kernel) + ModuleSizes.Conv1d(channels, channels, g.Kernel) + (2 * ModuleSizes.Linear((long)channels * g.Length2, latent));

    public override (Tensor Mu, Tensor LogVar) forward(Tensor x)
    {
        var h = x.unsqueeze(1);                                  // [B, 1, D]
        h = nn.functional.relu(_conv1.call(h));                  // [B, C, L1]
        h = nn.functional.relu(_conv2.call(h));                  // [B, C, L2]
        h = h.flatten(1);                                        // [B, C·L2]
        return (_mu.call(h), _logVar.call(h));                   // [B, Z], [B, Z]
    }
}
