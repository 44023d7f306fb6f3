using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch.Optimizers;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019): Adam with decoupled weight decay, exactly TorchSharp's (and PyTorch's non-fused)
/// update, but with every <see cref="Scalar"/> held until its native call has returned (see <see cref="Adam"/>). Keeps
/// TorchSharp's name, options and state layout, so saved optimizer state loads unchanged.
/// </summary>
public sealed class AdamW : TorchSharp.Modules.AdamW
{
    /// <summary>Creates the optimizer over parameter groups (each may override the defaults).</summary>
    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : base(groups, lr, beta1, beta2, eps, weightDecay, amsgrad)
    {
    }

    /// <summary>Creates the optimizer over one group of parameters.</summary>
    public AdamW(IEnumerable<TorchSharp.Modules.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
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
        using var shrink = (1 - (lr * decay)).ToScalar();
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
            param.mul_(shrink);                                                         // decoupled decay: θ(1 − ηλ)
            state.exp_avg.mul_(b1).add_(grad, oneMinusB1);                              // m = β₁m + (1 − β₁)g
            state.exp_avg_sq.mul_(b2).addcmul_(grad, grad, oneMinusB2);                // v = β₂v + (1 − β₂)g²
            AdamUpdate.Apply(param, state.exp_avg, state.exp_avg_sq, ref state.max_exp_avg_sq, amsgrad, state.step, beta1, beta2, lr, epsilon);
        }
    }, closure);

    /// <inheritdoc cref="Step"/>
    public override Tensor step(Func<Tensor>? closure = null) => Step(closure);
}
