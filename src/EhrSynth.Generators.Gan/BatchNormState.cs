using EhrSynth.Generators.Torch;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan;

/// <summary>A copy of BatchNorm running statistics, put back on dispose.</summary>
internal sealed class BatchNormState : IDisposable
{
    private readonly List<(RootedBatchNorm1d Norm, Tensor Mean, Tensor Variance)> _saved = [];

    private BatchNormState()
    {
    }

    public static BatchNormState Capture(IEnumerable<RootedBatchNorm1d> norms)
    {
        var state = new BatchNormState();
        foreach (var n in norms)
        {
            state._saved.Add((n, n.running_mean.clone().DetachFromDisposeScope(), n.running_var.clone().DetachFromDisposeScope()));
        }

        return state;
    }

    public void Dispose()
    {
        using var noGrad = no_grad();
        foreach (var (norm, mean, variance) in _saved)
        {
            norm.running_mean.copy_(mean);
            norm.running_var.copy_(variance);
            mean.Dispose();
            variance.Dispose();
        }
    }
}
