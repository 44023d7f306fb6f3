using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan.Modules;

/// <summary>
/// CorGAN's convolutional encoder: Conv1d 1→4→8→16→32→64 (k 5; strides 2, 2, 3, 3, 3; BatchNorm after all but the
/// first; LeakyReLU 0.2), then Conv1d 64→128 over the remaining length with tanh: a 128-wide code per record.
/// </summary>
internal sealed class CorGanEncoderNet : nn.Module<Tensor, Tensor>
{
    private readonly CorGanGeometry _geometry;

    [ComponentName(Name = "convs")]
    private readonly ModuleList<Conv1d> _convs;

    [ComponentName(Name = "norms")]
    private readonly ModuleList<RootedBatchNorm1d> _norms;

    public CorGanEncoderNet(CorGanGeometry geometry)
        : base(nameof(CorGanEncoderNet))
    {
        _geometry = geometry;
        _convs = new ModuleList<Conv1d>();
        _norms = new ModuleList<RootedBatchNorm1d>();
        int channels = 1;
        for (int i = 0; i < CorGanGeometry.EncoderLayers.Length; i++)
        {
            var (k, s) = CorGanGeometry.EncoderLayers[i];
            _convs.Add(nn.Conv1d(channels, 4 << i, k, stride: s));
            if (i > 0)
            {
                _norms.Add(new RootedBatchNorm1d(4 << i));
            }

            channels = 4 << i;
        }

        _convs.Add(nn.Conv1d(channels, 128, geometry.LastEncoderKernel, stride: 1));
        RegisterComponents();
    }

    /// <summary>Values in the state of an encoder of this geometry.</summary>
    public static long StateSize(CorGanGeometry geometry)
    {
        long total = 0;
        int channels = 1;
        for (int i = 0; i < CorGanGeometry.EncoderLayers.Length; i++)
        {
            total += ModuleSizes.Conv1d(channels, 4 << i, CorGanGeometry.EncoderLayers[i].Kernel) + (i > 0 ? ModuleSizes.BatchNorm1d(4 << i) : 0);
            channels = 4 << i;
        }

        return total + ModuleSizes.Conv1d(channels, 128, geometry.LastEncoderKernel);
    }

    public override Tensor forward(Tensor x)
    {
        var h = x.unsqueeze(1);                                                                   // [B, 1, D]
        if (_geometry.PaddedCodes > _geometry.Codes)
        {
            h = nn.functional.pad(h, [0, _geometry.PaddedCodes - _geometry.Codes]);               // [B, 1, P]
        }

        for (int i = 0; i < CorGanGeometry.EncoderLayers.Length; i++)
        {
            h = _convs[i].call(h);                                                                // [B, 4·2^i, L_{i+1}]
            if (i > 0)
            {
                h = _norms[i - 1].call(h);
            }

            h = h.LeakyRelu(0.2);
        }

        return _convs[^1].call(h).tanh();                                                         // [B, 128, 1]
    }
}
