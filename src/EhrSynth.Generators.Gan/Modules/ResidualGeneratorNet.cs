using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan.Modules;

/// <summary>
/// medGAN's generator: residual blocks h = act(BN(W·h)) + h over a 128-wide code, ReLU for all but the last block,
/// tanh for the last (TF medGAN: three blocks without bias; CorGAN: two blocks with bias). BatchNorm uses TF's decay
/// 0.99 (momentum 0.01) and ε 1e-3.
/// </summary>
internal sealed class ResidualGeneratorNet : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "linears")]
    private readonly ModuleList<Linear> _linears;

    [ComponentName(Name = "norms")]
    private readonly ModuleList<RootedBatchNorm1d> _norms;

    public ResidualGeneratorNet(int width, int blocks, bool bias)
        : base(nameof(ResidualGeneratorNet))
    {
        _linears = new ModuleList<Linear>();
        _norms = new ModuleList<RootedBatchNorm1d>();
        for (int i = 0; i < blocks; i++)
        {
            _linears.Add(nn.Linear(width, width, hasBias: bias));
            _norms.Add(new RootedBatchNorm1d(width, eps: 1e-3, momentum: 0.01));
        }

        RegisterComponents();
    }

    /// <summary>The BatchNorm layers (their running statistics are what the sampling burn-in refreshes).</summary>
    public IReadOnlyList<RootedBatchNorm1d> Norms => [.. _norms];

    /// <summary>Values in the state of a generator of these sizes.</summary>
    public static long StateSize(int width, int blocks, bool bias) => blocks * (ModuleSizes.Linear(width, width, bias) + ModuleSizes.BatchNorm1d(width));

    public override Tensor forward(Tensor z)
    {
        var h = z;                                                                   // [B, W]
        for (int i = 0; i < _linears.Count; i++)
        {
            var a = _norms[i].call(_linears[i].call(h));                             // [B, W]
            h = (i == _linears.Count - 1 ? a.tanh() : nn.functional.relu(a)).Plus(h);   // [B, W]
        }

        return h;
    }
}
