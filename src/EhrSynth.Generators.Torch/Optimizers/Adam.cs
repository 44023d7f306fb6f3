using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with coupled L2 weight decay, exactly TorchSharp's (and PyTorch's non-fused) update, but
/// with every <see cref="Scalar"/> it creates held until the native call that reads it has returned. TorchSharp 0.107's
/// own <c>Adam.step</c> leaves its Scalars (β, 1 − β, ε, the step size) to the finalizer, which can free one while
/// libtorch still reads it when another thread triggers a collection (dotnet/TorchSharp#1434, #1496). The class keeps
/// TorchSharp's name, options and state layout, so optimizer state saved before loads unchanged.
/// </summary>
public sealed class Adam : TorchSharp.Modules.Adam
{
    /// <summary>Creates the optimizer over parameter groups (each may override the defaults).</summary>
    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : base(groups, lr, beta1, beta2, eps, weightDecay, amsgrad)
    {
    }

    /// <summary>Creates the optimizer over one group of parameters.</summary>
    public Adam(IEnumerable<TorchSharp.Modules.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad)
    {
    }

    /// <summary>
    /// One update of every parameter that has a gradient. Call this rather than <c>step</c>: C# binds <c>step()</c> to
    /// TorchSharp's declaration, which the build bans (it dispatches here anyway).
    /// </summary>
    /// <param name="closure">Recomputes the loss (optional, as in PyTorch).</param>
    public Tensor Step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = (Options)group.Options;
        double beta1 = o.beta1!.Value, beta2 = o.beta2!.Value, eps = o.eps!.Value, decay = o.weight_decay!.Value, lr = o.LearningRate!.Value;
        bool amsgrad = o.amsgrad!.Value, maximize = o.maximize!.Value;
        using var b1 = beta1.ToScalar();
        using var b2 = beta2.ToScalar();
        using var oneMinusB1 = (1 - beta1).ToScalar();
        using var oneMinusB2 = (1 - beta2).ToScalar();
        using var epsilon = eps.ToScalar();
        using var decayScalar = decay.ToScalar();
        foreach (var param in group.Parameters)
        {
            using var raw = param.grad;
            if (raw is null)
            {
                continue;
            }

            var state = (State)_state[param.Handle];
            state.step += 1;
            var grad = maximize ? raw.neg() : raw;
            if (decay != 0)
            {
                grad = grad.add(param, decayScalar);                                   // coupled L2: g + λ·θ
            }

            state.exp_avg.mul_(b1).add_(grad, oneMinusB1);                              // m = β₁m + (1 − β₁)g
            state.exp_avg_sq.mul_(b2).addcmul_(grad, grad, oneMinusB2);                // v = β₂v + (1 − β₂)g²
            AdamUpdate.Apply(param, state.exp_avg, state.exp_avg_sq, ref state.max_exp_avg_sq, amsgrad, state.step, beta1, beta2, lr, epsilon);
        }
    }, closure);

    /// <inheritdoc cref="Step"/>
    public override Tensor step(Func<Tensor>? closure = null) => Step(closure);
}
