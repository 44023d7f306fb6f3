using EhrSynth.Generators.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan;

/// <summary>The references' weight initialisations.</summary>
internal static class GanInit
{
    /// <summary>
    /// TensorFlow's <c>get_variable</c> default (medGAN): Glorot-uniform for every variable, biases included — for a
    /// vector of n entries that is U(−√(3/n), √(3/n)). BatchNorm layers keep γ = 1 and β = 0: the reference builds them
    /// with <c>tf.contrib.layers.batch_norm</c>, whose own initialisers are ones and zeros.
    /// </summary>
    public static void TensorFlowGlorot(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            if (child is RootedBatchNorm1d bn)
            {
                nn.init.ones_(bn.weight);
                nn.init.zeros_(bn.bias);
                continue;
            }

            foreach (var (name, p) in child.named_parameters(recurse: false))
            {
                if (p.dim() == 2)
                {
                    nn.init.xavier_uniform_(p);
                }
                else if (name.EndsWith("bias", StringComparison.Ordinal))
                {
                    double limit = Math.Sqrt(3.0 / p.shape[0]);
                    nn.init.uniform_(p, -limit, limit);
                }
            }
        }
    }

    /// <summary>
    /// CorGAN's <c>weights_init</c>: convolutions N(0, 0.02); BatchNorm weight N(1, 0.02), bias 0; Linear Xavier-uniform,
    /// bias 0.01.
    /// </summary>
    public static void CorGan(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            switch (child)
            {
                case Conv1d or ConvTranspose1d:
                    foreach (var (n, p) in child.named_parameters(recurse: false))
                    {
                        if (n == "weight")
                        {
                            nn.init.normal_(p, 0, 0.02);
                        }
                    }

                    break;
                case RootedBatchNorm1d bn:
                    nn.init.normal_(bn.weight, 1, 0.02);
                    nn.init.zeros_(bn.bias);
                    break;
                case Linear linear:
                    nn.init.xavier_uniform_(linear.weight!);
                    if (linear.bias is { } b)
                    {
                        using var value = 0.01.ToScalar();
                        nn.init.constant_(b, value);
                    }

                    break;
            }
        }
    }
}
