using EhrSynth.Generators.Gan.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// The transposed 1-D convolutions behind the conv VAE's and CorGAN's generation misses against PyTorch, timed as
/// libtorch's <c>ConvTranspose1d</c> and as two exact rewrites of it: one matrix product plus an overlap-add
/// (<c>fold</c>, i.e. col2im — PyTorch 1.13's own path), and the sub-pixel form (a regular <c>conv1d</c> with
/// stride × the output channels and ⌈k / s⌉ taps, then an interleave). Each rewrite is checked against the native
/// layer first. Median of 10 after 2 warm-ups, in milliseconds. Run: <c>dotnet …Benchmarks.dll --profile-transposed-conv</c>.
/// </summary>
internal static class TransposedConvProfile
{
    public static int Run()
    {
        set_num_threads(2);
        random.manual_seed(1);
        var vae = Vae.Modules.ConvGeometry.For(1_071, 5, 4);
        Console.WriteLine("conv VAE decoder (128 channels, k 5, stride 4): generation batch 1,000 forward; training batch 500 forward + backward");
        foreach (var (d, length) in new[] { (nn.ConvTranspose1d(128, 128, 5, stride: 4), vae.Length2), (nn.ConvTranspose1d(128, 1, 5, stride: 4), vae.Length1) })
        {
            Layer(d, randn(1_000, 128, length), backward: false);
            Layer(d, randn(500, 128, length), backward: true);
        }

        Console.WriteLine("CorGAN decoder (reference stack at D = 1,071): batch 256, forward and forward + backward");
        var corgan = CorGanGeometry.For(1_071);
        var h = randn(256, 128, 1);
        var layers = new List<ConvTranspose1d> { nn.ConvTranspose1d(128, 64, corgan.FirstDecoderKernel, stride: 1) };
        int channels = 64;
        foreach (var (k, s) in CorGanGeometry.DecoderLayers)
        {
            int next = channels == 4 ? 1 : channels / 2;
            layers.Add(nn.ConvTranspose1d(channels, next, k, stride: s));
            channels = next;
        }

        foreach (var d in layers)
        {
            Layer(d, h, backward: false);
            Layer(d, h, backward: true);
            using var noGrad = no_grad();
            h = d.call(h);
        }

        return 0;
    }

    private static void Layer(ConvTranspose1d d, Tensor input, bool backward)
    {
        using (no_grad())
        {
            var reference = d.call(input);
            double fold = (reference - ColToIm(input, d)).abs().max().item<float>();
            double subPixel = (reference - SubPixel(input, d)).abs().max().item<float>();
            Console.Write($"  {string.Join('×', input.shape)} → {string.Join('×', reference.shape)} {(backward ? "fwd+bwd" : "fwd    ")}  (max |diff| fold {fold:E1}, sub-pixel {subPixel:E1})");
        }

        var x = backward ? input.detach().requires_grad_(true) : input;
        foreach (var (name, run) in new (string, Func<Tensor, ConvTranspose1d, Tensor>)[] { ("native", (i, l) => l.call(i)), ("gemm+fold", ColToIm), ("sub-pixel", SubPixel) })
        {
            double ms = ProfileTiming.MedianMilliseconds(() =>
            {
                if (backward)
                {
                    d.zero_grad();
                    run(x, d).square().sum().backward();
                }
                else
                {
                    using var noGrad = no_grad();
                    run(x, d);
                }
            });
            Console.Write($"  {name} {ms,7:F2} ms");
        }

        Console.WriteLine();
    }

    /// <summary>One matrix product to every (output channel, tap) column, then the overlap-add of <c>fold</c>.</summary>
    private static Tensor ColToIm(Tensor input, ConvTranspose1d d)
    {
        var w = d.weight!;                                                                      // [Cin, Cout, k]
        long cin = w.shape[0], cout = w.shape[1], k = w.shape[2], s = d.stride[0];
        long b = input.shape[0], l = input.shape[2], lout = ((l - 1) * s) + k;
        var cols = w.view(cin, cout * k).t().matmul(input);                                      // [B, Cout·k, L]
        var folded = nn.functional.fold(cols, (1, lout), (1, k), stride: (1, s));                // [B, Cout, 1, Lout]
        return folded.view(b, cout, lout) + d.bias!.view(1, cout, 1);                            // [B, Cout, Lout]
    }

    /// <summary>A regular convolution to stride × Cout channels over ⌈k / s⌉ taps, interleaved back to one channel set.</summary>
    private static Tensor SubPixel(Tensor input, ConvTranspose1d d)
    {
        var w = d.weight!;                                                                      // [Cin, Cout, k]
        long cin = w.shape[0], cout = w.shape[1], k = w.shape[2], s = d.stride[0];
        long taps = (k + s - 1) / s;
        long b = input.shape[0], l = input.shape[2], lout = ((l - 1) * s) + k, lq = l + taps - 1;
        var wp = taps * s > k ? nn.functional.pad(w, [0, (taps * s) - k]) : w;                   // [Cin, Cout, K'·s]
        var wc = wp.view(cin, cout, taps, s).flip(2).permute(1, 3, 0, 2).reshape(cout * s, cin, taps);   // [Cout·s, Cin, K']
        var y = nn.functional.conv1d(input, wc, null, padding: taps - 1);                        // [B, Cout·s, Lq]
        var interleaved = y.view(b, cout, s, lq).transpose(2, 3).reshape(b, cout, lq * s);       // [B, Cout, Lq·s]
        return interleaved[.., .., ..(int)lout] + d.bias!.view(1, cout, 1);                      // [B, Cout, Lout]
    }
}
