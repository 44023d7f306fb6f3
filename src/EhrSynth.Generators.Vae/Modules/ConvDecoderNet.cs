using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Vae.Modules;

/// <summary>
/// The paper's decoder: a linear map to <c>channels × L2</c>, then two transposed convolutions (cropped) back to D logits,
/// plus a per-code bias.
/// </summary>
internal sealed class ConvDecoderNet : nn.Module<Tensor, Tensor>
{
    private readonly int _channels;
    private readonly int _length1;
    private readonly int _length2;
    private readonly int _codes;

    [ComponentName(Name = "fc")]
    private readonly Linear _fc;

    [ComponentName(Name = "deconv1")]
    private readonly ConvTranspose1d _deconv1;

    [ComponentName(Name = "deconv2")]
    private readonly ConvTranspose1d _deconv2;

    [ComponentName(Name = "code_bias")]
    private readonly Parameter _codeBias;

    public ConvDecoderNet(ConvGeometry g, int channels, int latent)
        : base(nameof(ConvDecoderNet))
    {
        _channels = channels;
        _length1 = g.Length1;
        _length2 = g.Length2;
        _codes = g.Codes;
        _fc = nn.Linear(latent, channels * g.Length2);
        _deconv1 = nn.ConvTranspose1d(channels, channels, g.Kernel, stride: g.Stride);
        _deconv2 = nn.ConvTranspose1d(channels, 1, g.Kernel, stride: g.Stride);
        _codeBias = nn.Parameter(zeros(g.Codes));
        RegisterComponents();
    }

    /// <summary>Values in the state of a decoder of this geometry.</summary>
    public static long StateSize(ConvGeometry g, int channels, int latent) =>
        ModuleSizes.Linear(latent, (long)channels * g.Length2) + ModuleSizes.Conv1d(channels, channels, g.Kernel) + ModuleSizes.Conv1d(channels, 1, g.Kernel) + g.Codes;

    public override Tensor forward(Tensor z)
    {
        var h = nn.functional.relu(_fc.call(z));                         // [B, C·L2]
        h = h.view(-1, _channels, _length2);                             // [B, C, L2]
        h = nn.functional.relu(_deconv1.call(h)[.., .., .._length1]);    // [B, C, T1] → [B, C, L1]
        return _deconv2.call(h)[.., 0, .._codes].Plus(_codeBias);        // [B, 1, T2] → [B, D] logits
    }

    /// <summary>The per-code output bias (a convolution shares its bias across positions; codes need their own).</summary>
    public Tensor OutputBias => _codeBias;
}
