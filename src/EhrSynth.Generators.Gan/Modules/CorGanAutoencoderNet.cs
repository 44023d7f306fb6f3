using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan.Modules;

/// <summary>CorGAN's convolutional autoencoder: <see cref="CorGanEncoderNet"/> then <see cref="CorGanDecoderNet"/>.</summary>
internal sealed class CorGanAutoencoderNet : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "encoder")]
    private readonly CorGanEncoderNet _encoder;

    [ComponentName(Name = "decoder")]
    private readonly CorGanDecoderNet _decoder;

    public CorGanAutoencoderNet(CorGanGeometry geometry, bool codeBias = false)
        : base(nameof(CorGanAutoencoderNet))
    {
        _encoder = new CorGanEncoderNet(geometry);
        _decoder = new CorGanDecoderNet(geometry, codeBias);
        RegisterComponents();
    }

    public CorGanEncoderNet Encoder => _encoder;

    public CorGanDecoderNet Decoder => _decoder;

    /// <summary>Reconstruction logits <c>[B, D]</c>.</summary>
    public override Tensor forward(Tensor x) => _decoder.call(_encoder.call(x));
}
