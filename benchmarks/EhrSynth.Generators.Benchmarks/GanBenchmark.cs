using BenchmarkDotNet.Attributes;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Gan.CorGan;
using EhrSynth.Generators.Gan.MedGan;
using EhrSynth.Generators.Gan.Modules;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// medGAN and CorGAN at D = 1,071 with the references' batch sizes and update schedules (medGAN: 2 discriminator
/// updates per generator update, batch 1,000; CorGAN: 5 critic updates, batch 512, without the 100-update warm-up so
/// the epoch shows the steady state): one GAN epoch over 5,000 patients (no autoencoder pretraining) and generating
/// 10,000 records. GFLOP/s from <see cref="GanFlops"/>.
/// </summary>
[WarmupCount(1)]
[IterationCount(3)]
public class GanBenchmark
{
    private const int Patients = 5_000;
    private EhrDataset _data = null!;
    private IEhrGenerator _fitted = null!;

    [ParamsSource(typeof(BenchmarkDevices), nameof(BenchmarkDevices.All))]
    public string Device { get; set; } = "cpu";

    [Params("medGAN", "CorGAN")]
    public string Model { get; set; } = "medGAN";

    [GlobalSetup]
    public void Setup()
    {
        _data = MimicScaleData.Create(Patients, seed: 1);
        _fitted = Create();
        _fitted.FitAsync(_data).GetAwaiter().GetResult();
        Console.WriteLine($"// {Model}, D = {_data.CodeCount}: {GanFlops.TrainingPerPatient(Model, _data.CodeCount) / 1e6:F1} MFLOP per patient of a GAN epoch, {GanFlops.GenerationPerSample(Model, _data.CodeCount) / 1e6:F2} MFLOP per generated record");
    }

    [GlobalCleanup]
    public void Cleanup() => (_fitted as IDisposable)?.Dispose();

    [Benchmark(Description = "library: 1 GAN epoch, 5,000 patients")]
    public void TrainEpoch()
    {
        using var g = (IDisposable)Create();
        ((IEhrGenerator)g).FitAsync(_data).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "generate 10,000 records")]
    public EhrDataset Generate10k() => _fitted.Generate(10_000, seed: 1);

    private IEhrGenerator Create() => Model == "medGAN"
        ? new MedGanGenerator(new MedGanOptions { Seed = 1, PretrainEpochs = 0, Epochs = 1, Device = ComputeDevice.Parse(Device), CheckModeCollapse = false, ReportEvery = 1_000 })
        : new CorGanGenerator(new CorGanOptions { Seed = 1, PretrainEpochs = 0, Epochs = 1, BoostedCriticSteps = 5, Device = ComputeDevice.Parse(Device), CheckModeCollapse = false, ReportEvery = 1_000 });
}

/// <summary>Analytic FLOPs (2 × multiply-adds; a backward pass ≈ 2 × its forward) of one GAN epoch, per training patient.</summary>
internal static class GanFlops
{
    public static double TrainingPerPatient(string model, int d) => model == "medGAN" ? MedGan(d) : CorGan(d);

    public static double GenerationPerSample(string model, int d) => 2 * (model == "medGAN"
        ? (3 * 128.0 * 128) + (128.0 * d)
        : (2 * 128.0 * 128) + CorGanDecoderMacs(d));

    // Per generator update of batch B (each patient of the epoch is one row of one generator update):
    // 2 discriminator updates (G + decoder forward, D forward and backward on real and fake) + 1 generator update
    // (G, decoder and D forward and backward).
    private static double MedGan(int d)
    {
        double g = 3 * 128.0 * 128, dec = 128.0 * d, disc = (2.0 * d * 256) + (256 * 128) + 128;
        double dStep = g + dec + (2 * 3 * disc);
        double gStep = 3 * (g + dec + disc);
        return 2 * ((2 * dStep) + gStep);
    }

    private static double CorGan(int d)
    {
        double g = 2 * 128.0 * 128, dec = CorGanDecoderMacs(d), critic = (d * 256.0) + (2 * 256 * 256) + 256;
        double criticStep = g + dec + (2 * 3 * critic);
        double gStep = 3 * (g + dec + critic);
        return 2 * ((5 * criticStep) + gStep);
    }

    private static double CorGanDecoderMacs(int d)
    {
        var geometry = CorGanGeometry.For(d);
        int[] channels = [128, 64, 32, 16, 8, 4, 1];
        (int Kernel, int Stride)[] layers = [(geometry.FirstDecoderKernel, 1), .. CorGanGeometry.DecoderLayers];
        double macs = 0;
        long length = 1;
        for (int i = 0; i < layers.Length; i++)
        {
            macs += (double)length * channels[i] * channels[i + 1] * layers[i].Kernel;   // transposed conv: every input position scatters a kernel
            length = ((length - 1) * layers[i].Stride) + layers[i].Kernel;
        }

        return macs;
    }
}
