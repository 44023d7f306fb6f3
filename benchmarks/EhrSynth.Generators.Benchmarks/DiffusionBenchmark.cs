using BenchmarkDotNet.Attributes;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Diffusion;
using EhrSynth.Generators.Diffusion.Ddpm;
using EhrSynth.Generators.Diffusion.Modules;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// Sampling with the reference denoiser (D → 1024 → 384 → 384 → 384 → 1024 → D, 5.5 M parameters at D = 1,071):
/// EHRDiff's 32-level Heun sampler (63 network evaluations) and DDIM with 50 steps, 10,000 records each, and DDPM's
/// 1,000-step ancestral sampler on 1,000 records (10,000 would take half an hour), all in the library's default
/// generation batches of 1,000 (batches of 10,000 were 1.5 × slower per record here: their activations no longer fit
/// in cache). Sampling cost does not depend on the weights, so the model is fitted for one epoch only. GFLOP/s from
/// <see cref="DiffusionFlops"/>.
/// </summary>
[WarmupCount(0)]
[IterationCount(2)]
public class DiffusionSamplingBenchmark
{
    private IEhrGenerator _generator = null!;

    [ParamsSource(typeof(BenchmarkDevices), nameof(BenchmarkDevices.All))]
    public string Device { get; set; } = "cpu";

    [Params("EHRDiff Heun 32", "DDPM DDIM 50", "DDPM ancestral 1000")]
    public string Sampler { get; set; } = "EHRDiff Heun 32";

    private int Records => Sampler.Contains("ancestral", StringComparison.Ordinal) ? 1_000 : 10_000;

    private int Evaluations => Sampler switch { "EHRDiff Heun 32" => 63, "DDPM DDIM 50" => 50, _ => 1_000 };

    [GlobalSetup]
    public void Setup()
    {
        var data = MimicScaleData.Create(1_000, seed: 1);
        var device = ComputeDevice.Parse(Device);
        _generator = Sampler switch
        {
            "EHRDiff Heun 32" => new EhrDiffGenerator(new EhrDiffOptions { Seed = 1, Epochs = 1, Device = device }),
            "DDPM DDIM 50" => new DdpmGenerator(new DdpmOptions { Seed = 1, Epochs = 1, Device = device, Sampler = DdpmSampler.Ddim, DdimSteps = 50 }),
            _ => new DdpmGenerator(new DdpmOptions { Seed = 1, Epochs = 1, Device = device }),
        };
        _generator.FitAsync(data).GetAwaiter().GetResult();
        double flops = DiffusionFlops.PerEvaluation(data.CodeCount) * Evaluations * Records;
        Console.WriteLine($"// {Sampler}: {Records:N0} records × {Evaluations} network evaluations = {flops / 1e12:F2} TFLOP");
    }

    [GlobalCleanup]
    public void Cleanup() => (_generator as IDisposable)?.Dispose();

    [Benchmark(Description = "generate")]
    public EhrDataset Generate() => _generator.Generate(Records, seed: 1);
}

/// <summary>
/// EHRDiff training at D = 1,071, batch 1,024 (the reference): one epoch over 5,120 patients through the library
/// against the same 5 steps written as a bare TorchSharp loop (the EDM loss on the same network, AdamW, no EMA).
/// </summary>
[WarmupCount(1)]
[IterationCount(3)]
public class DiffusionTrainingBenchmark
{
    private const int Patients = 5_120;
    private EhrDataset _data = null!;
    private float[] _dense = [];

    [ParamsSource(typeof(BenchmarkDevices), nameof(BenchmarkDevices.All))]
    public string Device { get; set; } = "cpu";

    [GlobalSetup]
    public void Setup()
    {
        _data = MimicScaleData.Create(Patients, seed: 1);
        _dense = new float[Patients * _data.CodeCount];
        _data.FillDense(0, Patients, _dense);
        Console.WriteLine($"// EHRDiff training: {3 * DiffusionFlops.PerEvaluation(_data.CodeCount) / 1e6:F1} MFLOP per training sample");
    }

    [Benchmark(Description = "library: 1 epoch, 5,120 patients")]
    public void TrainEpochLibrary()
    {
        using var g = new EhrDiffGenerator(new EhrDiffOptions { Seed = 1, Epochs = 1, Device = ComputeDevice.Parse(Device), ReportEvery = 1_000 });
        g.FitAsync(_data).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "bare TorchSharp loop: 5 steps of 1,024")]
    public void TrainEpochBareLoop()
    {
        var device = new Device(Device);
        random.manual_seed(1);
        int d = _data.CodeCount;
        using var net = new DenoiserNet(d, [1024, 384, 384, 384, 1024], 128, 384);
        net.to(device);
        using var adam = optim.AdamW(net.parameters(), 3e-4, weight_decay: 0);
        const double sd = 0.14;
        for (int start = 0; start < Patients; start += 1_024)
        {
            using var scope = NewDisposeScope();
            var x = tensor(_dense.AsSpan(start * d, 1_024 * d).ToArray(), [1_024, d], device: device);
            var sigma = randn([1_024, 1], device: device).Times(1.2).Plus(-1.2).exp();
            var noisy = x.Plus(randn_like(x) * sigma);
            var s2 = sigma.square().Plus(sd * sd);
            var denoised = (s2.reciprocal().Times(sd * sd) * noisy).Plus(sigma.Times(sd) / s2.sqrt() * net.call(s2.rsqrt() * noisy, sigma.log().flatten().Over(4)));
            var loss = (s2 / sigma.Times(sd).square() * denoised.Minus(x).square()).mean();
            adam.zero_grad();
            loss.backward();
            adam.step();
            _ = loss.item<float>();
        }
    }
}

/// <summary>Analytic FLOPs of one denoiser evaluation per record (2 × multiply-adds).</summary>
internal static class DiffusionFlops
{
    public static double PerEvaluation(int d, int[]? hidden = null, int embedding = 128, int timeHidden = 384)
    {
        int[] widths = [d, .. hidden ?? [1024, 384, 384, 384, 1024], d];
        double macs = (embedding * (double)timeHidden) + ((double)timeHidden * timeHidden);
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            macs += ((double)timeHidden * widths[i]) + ((double)widths[i] * widths[i + 1]);
        }

        return 2 * macs;
    }
}
