using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan.Modules;

/// <summary>
/// CorGAN's convolutional decoder: ConvTranspose1d 128→64 (k₀, s 1), then 64→32→16→8→4 (k 5, 7, 7, 7; strides 4, 4, 3,
/// 2; BatchNorm; ReLU), then 4→1 (k 3, s 2), cropped to D. Returns logits (the reference's sigmoid is applied by callers).
/// </summary>
internal sealed class CorGanDecoderNet : nn.Module<Tensor, Tensor>
{
    private readonly int _codes;

    [ComponentName(Name = "deconvs")]
    private readonly ModuleList<ConvTranspose1d> _deconvs;

    [ComponentName(Name = "norms")]
    private readonly ModuleList<RootedBatchNorm1d> _norms;

    private readonly Parameter? _codeBias;   // [D], only with CorGanOptions.DecoderCodeBias

    public CorGanDecoderNet(CorGanGeometry geometry, bool codeBias = false)
        : base(nameof(CorGanDecoderNet))
    {
        _codes = geometry.Codes;
        _deconvs = new ModuleList<ConvTranspose1d>();
        _norms = new ModuleList<RootedBatchNorm1d>();
        _deconvs.Add(nn.ConvTranspose1d(128, 64, geometry.FirstDecoderKernel, stride: 1));
        int channels = 64;
        for (int i = 0; i < CorGanGeometry.DecoderLayers.Length; i++)
        {
            var (k, s) = CorGanGeometry.DecoderLayers[i];
            int next = i == CorGanGeometry.DecoderLayers.Length - 1 ? 1 : channels / 2;
            _deconvs.Add(nn.ConvTranspose1d(channels, next, k, stride: s));
            if (next > 1)
            {
                _norms.Add(new RootedBatchNorm1d(next));
            }

            channels = next;
        }

        RegisterComponents();
        if (codeBias)
        {
            _codeBias = nn.Parameter(zeros(geometry.Codes));
            register_parameter("code_bias", _codeBias);
        }
    }

    /// <summary>Values in the state of a decoder of this geometry.</summary>
    public static long StateSize(CorGanGeometry geometry, bool codeBias)
    {
        long total = ModuleSizes.Conv1d(128, 64, geometry.FirstDecoderKernel);
        int channels = 64;
        for (int i = 0; i < CorGanGeometry.DecoderLayers.Length; i++)
        {
            int next = i == CorGanGeometry.DecoderLayers.Length - 1 ? 1 : channels / 2;
            total += ModuleSizes.Conv1d(channels, next, CorGanGeometry.DecoderLayers[i].Kernel) + (next > 1 ? ModuleSizes.BatchNorm1d(next) : 0);
            channels = next;
        }

        return total + (codeBias ? geometry.Codes : 0);
    }

    /// <summary>The per-code output bias, or <see langword="null"/> when the decoder has none (the reference).</summary>
    public Tensor? CodeBias => _codeBias;

    /// <param name="code">A code <c>[B, 128, 1]</c> or <c>[B, 128]</c>.</param>
    public override Tensor forward(Tensor code)
    {
        var h = code.dim() == 2 ? code.unsqueeze(2) : code;                                      // [B, 128, 1]
        h = nn.functional.relu(_deconvs[0].call(h));                                              // [B, 64, k₀]
        for (int i = 1; i < _deconvs.Count - 1; i++)
        {
            h = nn.functional.relu(_norms[i - 1].call(_deconvs[i].call(h)));                      // [B, c_i, L_i]
        }

        var logits = _deconvs[^1].call(h)[.., 0, .._codes];                                       // [B, 1, T] → [B, D] logits
        return _codeBias is null ? logits : logits.Plus(_codeBias);                                // [B, D]
    }
}
