using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// <c>nn.BatchNorm1d</c> with the same parameters, buffers, state-dict keys and arithmetic (<c>functional.batch_norm</c>),
/// whose training forward counts batches with a rooted Scalar. TorchSharp 0.107's <c>BatchNorm.forward</c> adds an
/// unrooted 1 to <c>num_batches_tracked</c> on every training call (the finalizer race of dotnet/TorchSharp#1434).
/// </summary>
public sealed class RootedBatchNorm1d : nn.Module<Tensor, Tensor>
{
    private readonly double _eps;
    private readonly double _momentum;

    /// <summary>Creates the layer: weight 1, bias 0, running mean 0 and variance 1, as PyTorch does.</summary>
    /// <param name="features">Channels (the second dimension of a <c>[B, C]</c> or <c>[B, C, L]</c> input).</param>
    /// <param name="eps">Added to the variance. The default value is 1e-5.</param>
    /// <param name="momentum">Weight of the new batch in the running statistics. The default value is 0.1.</param>
    public RootedBatchNorm1d(long features, double eps = 1e-5, double momentum = 0.1)
        : base(nameof(RootedBatchNorm1d))
    {
        _eps = eps;
        _momentum = momentum;
        Features = features;
        weight = nn.Parameter(ones(features));
        bias = nn.Parameter(zeros(features));
        register_parameter("weight", weight);
        register_parameter("bias", bias);
        running_mean = zeros(features);
        running_var = ones(features);
        num_batches_tracked = zeros([], ScalarType.Int64);
        register_buffer("running_mean", running_mean);
        register_buffer("running_var", running_var);
        register_buffer("num_batches_tracked", num_batches_tracked);
    }

    /// <summary>Channels.</summary>
    public long Features { get; }

    /// <summary>The scale γ.</summary>
    public Parameter weight { get; }

    /// <summary>The shift β.</summary>
    public Parameter bias { get; }

    /// <summary>The running mean.</summary>
    public Tensor running_mean { get; }

    /// <summary>The running variance.</summary>
    public Tensor running_var { get; }

    /// <summary>Training batches seen.</summary>
    public Tensor num_batches_tracked { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (training)
        {
            using var noGrad = no_grad();
            num_batches_tracked.add_(RootedScalars.One, RootedScalars.One);
        }

        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, _momentum, _eps);   // [B, C(, L)]
    }
}
