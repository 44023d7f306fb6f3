using BenchmarkDotNet.Attributes;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Vae;
using EhrSynth.Generators.Vae.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// The paper's conv VAE and the MLP VAE at D = 1,071, batch 500: one training epoch over 5,000 patients through the library
/// (<c>VaeGenerator.FitAsync</c>), the same 10 steps as a bare TorchSharp loop (what a PyTorch loop does: the
/// same libtorch kernels, no library around them), and generating 10,000 records.
/// Samples/s = 5,000 ÷ epoch time; GFLOP/s from the analytic FLOP count in <see cref="VaeFlops"/>.
/// </summary>
public class VaeBenchmark
{
    private const int Patients = 5_000;
    private EhrDataset _data = null!;
    private VaeGenerator _fitted = null!;
    private float[] _dense = [];

    [ParamsSource(typeof(BenchmarkDevices), nameof(BenchmarkDevices.All))]
    public string Device { get; set; } = "cpu";

    [Params(VaeArchitecture.Convolutional, VaeArchitecture.Mlp)]
    public VaeArchitecture Architecture { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = MimicScaleData.Create(Patients, seed: 1);
        _fitted = new VaeGenerator(Options(1));
        _fitted.FitAsync(_data).GetAwaiter().GetResult();
        _dense = new float[Patients * _data.CodeCount];
        _data.FillDense(0, Patients, _dense);
        double forward = VaeFlops.ForwardPerSample(Architecture, _data.CodeCount);
        Console.WriteLine($"// {Architecture} VAE, D = {_data.CodeCount}: {3 * forward / 1e6:F1} MFLOP per training sample, {forward / 1e6:F1} MFLOP per generated sample");
    }

    [GlobalCleanup]
    public void Cleanup() => _fitted.Dispose();

    [Benchmark(Description = "library: 1 epoch, 5,000 patients")]
    public void TrainEpochLibrary()
    {
        using var vae = new VaeGenerator(Options(1));
        vae.FitAsync(_data).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "bare TorchSharp loop: 10 steps of 500")]
    public void TrainEpochBareLoop()
    {
        var device = new torch.Device(Device);
        torch.random.manual_seed(1);
        var g = ConvGeometry.For(_data.CodeCount, 5, 4);
        using nn.Module<Tensor, (Tensor Mu, Tensor LogVar)> encoder = Architecture == VaeArchitecture.Mlp ? new MlpEncoderNet(_data.CodeCount, 256, 128) : new ConvEncoderNet(g, 128, 128);
        using nn.Module<Tensor, Tensor> decoder = Architecture == VaeArchitecture.Mlp ? new MlpDecoderNet(_data.CodeCount, 256, 128) : new ConvDecoderNet(g, 128, 128);
        encoder.to(device);
        decoder.to(device);
        using var adam = torch.optim.Adam(encoder.parameters().Concat(decoder.parameters()), 1e-3);
        for (int start = 0; start < Patients; start += 500)
        {
            using var scope = NewDisposeScope();
            var x = tensor(_dense.AsSpan(start * _data.CodeCount, 500 * _data.CodeCount).ToArray(), [500, _data.CodeCount], device: device);
            var (mu, logVar) = encoder.call(x);
            var z = mu + (randn_like(mu) * (0.5 * logVar).exp());
            var bce = nn.functional.binary_cross_entropy_with_logits(decoder.call(z), x, reduction: nn.Reduction.Sum);
            var loss = bce - (0.5 * (1 + logVar - mu.pow(2) - logVar.exp()).sum());
            adam.zero_grad();
            loss.backward();
            adam.step();
            _ = loss.item<float>();
        }
    }

    [Benchmark(Description = "generate 10,000 records")]
    public EhrDataset Generate10k() => _fitted.Generate(10_000, seed: 1);

    private VaeOptions Options(int epochs) => new()
    {
        Seed = 1,
        Architecture = Architecture,
        Epochs = epochs,
        BatchSize = 500,
        Device = ComputeDevice.Parse(Device),
        ReportEvery = 1_000,
    };
}

/// <summary>Analytic FLOPs of the VAE (multiply-adds × 2; training ≈ forward + 2 × forward for the backward pass).</summary>
internal static class VaeFlops
{
    public static double ForwardPerSample(VaeArchitecture architecture, int codes) => architecture == VaeArchitecture.Mlp
        ? 2.0 * ((codes * 256.0) + (2 * 256.0 * 128) + (128.0 * 256) + (256.0 * codes))
        : ForwardPerSample(ConvGeometry.For(codes, 5, 4), 128, 128);

    public static double ForwardPerSample(ConvGeometry g, int channels, int latent)
    {
        double macs =
            (g.Length1 * channels * g.Kernel)                              // conv1: 1 → C
            + (g.Length2 * channels * channels * g.Kernel)                 // conv2: C → C
            + (2.0 * channels * g.Length2 * latent)                        // μ and log σ² heads
            + ((double)latent * channels * g.Length2)                      // decoder fc
            + (g.Length2 * channels * channels * g.Kernel)                 // deconv1: C → C
            + (g.Length1 * channels * g.Kernel);                           // deconv2: C → 1
        return 2 * macs;
    }
}
