using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan.Modules;

/// <summary>
/// An MLP discriminator/critic over records, optionally with medGAN's minibatch averaging (each record is concatenated
/// with the batch mean, so the input is 2D wide). Returns one logit (medGAN) or critic value (CorGAN) per record.
/// </summary>
internal sealed class MinibatchDiscriminatorNet : nn.Module<Tensor, Tensor>
{
    private readonly bool _minibatchAveraging;

    [ComponentName(Name = "layers")]
    private readonly ModuleList<Linear> _layers;

    public MinibatchDiscriminatorNet(int codes, IReadOnlyList<int> hidden, bool minibatchAveraging)
        : base(nameof(MinibatchDiscriminatorNet))
    {
        _minibatchAveraging = minibatchAveraging;
        _layers = new ModuleList<Linear>();
        int width = minibatchAveraging ? 2 * codes : codes;
        foreach (int h in hidden)
        {
            _layers.Add(nn.Linear(width, h));
            width = h;
        }

        _layers.Add(nn.Linear(width, 1));
        RegisterComponents();
    }

    /// <summary>Values in the state of a discriminator of these sizes.</summary>
    public static long StateSize(int codes, IReadOnlyList<int> hidden, bool minibatchAveraging)
    {
        long width = minibatchAveraging ? 2L * codes : codes, total = 0;
        foreach (int h in hidden)
        {
            total += ModuleSizes.Linear(width, h);
            width = h;
        }

        return total + ModuleSizes.Linear(width, 1);
    }

    public override Tensor forward(Tensor x)
    {
        var h = x;                                                                              // [B, D]
        if (_minibatchAveraging)
        {
            h = cat([x, x.mean([0], keepdim: true).expand(x.shape[0], -1)], dim: 1);            // [B, 2D]
        }

        for (int i = 0; i < _layers.Count - 1; i++)
        {
            h = nn.functional.relu(_layers[i].call(h));                                         // [B, h_i]
        }

        return _layers[^1].call(h).squeeze(1);                                                  // [B]
    }
}
