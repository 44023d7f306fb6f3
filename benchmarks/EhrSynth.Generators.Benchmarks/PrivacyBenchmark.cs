using BenchmarkDotNet.Attributes;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Diffusion;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Llm;
using EhrSynth.Generators.Torch;
using EhrSynth.Generators.Vae;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// What differential privacy costs in training speed: one epoch over 2,000 patients (D = 1,071) of the quick MLP VAE, the
/// quick EHRDiff denoiser and the quick LLM (tiny GPT, code-level tokenizer) at batch 100, ordinary against DP-SGD
/// (σ = 1, C = 1) on the same codes and batch, over a vocabulary declared public (a private fit requires one). Every
/// family clips with ghost norms: the VAE and EHRDiff through the generic Linear-layer path, the LLM through
/// <c>TransformerGhostNorms</c> (one padded forward and two backward passes per batch; docs/privacy.md).
/// </summary>
public class PrivacyBenchmark
{
    private const int Patients = 2_000;
    private EhrDataset _data = null!;

    [ParamsSource(typeof(BenchmarkDevices), nameof(BenchmarkDevices.All))]
    public string Device { get; set; } = "cpu";

    [Params("vae", "ehrdiff", "llm")]
    public string Family { get; set; } = "vae";

    [Params(false, true)]
    public bool Private { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = MimicScaleData.Create(Patients, seed: 1);
        _data = data.AlignTo(data.Vocabulary.AsPublic());           // synthetic codes, fixed before the data: public
    }

    [Benchmark(Description = "1 epoch, 2,000 patients, batch 100")]
    public void TrainEpoch()
    {
        var privacy = Private ? new DifferentialPrivacyOptions { NoiseMultiplier = 1.0, Delta = 1e-4 } : null;
        var device = ComputeDevice.Parse(Device);
        IEhrGenerator generator = Family switch
        {
            "vae" => new VaeGenerator(Configure(VaeOptions.Quick(1), privacy, device)),
            "ehrdiff" => new EhrDiffGenerator(Without(Configure(EhrDiffOptions.Quick(1), privacy, device))),
            _ => new LlmGenerator(Configure(LlmOptions.Quick(1), privacy, device)),
        };
        using (generator)
        {
            generator.FitAsync(_data).GetAwaiter().GetResult();
        }
    }

    private static T Configure<T>(T options, DifferentialPrivacyOptions? privacy, ComputeDevice device)
        where T : TorchGeneratorOptions
    {
        options.Privacy = privacy;
        options.Device = device;
        options.ReportEvery = 1_000;
        switch (options)
        {
            case VaeOptions vae:
                (vae.Epochs, vae.BatchSize) = (1, 100);
                break;
            case EhrDiffOptions diff:
                (diff.Epochs, diff.BatchSize) = (1, 100);
                break;
            case LlmOptions llm:
                (llm.Epochs, llm.BatchSize) = (1, 100);
                break;
        }

        return options;
    }

    private static EhrDiffOptions Without(EhrDiffOptions options)
    {
        options.CalibrateThresholds = false;                      // not allowed under DP; off on both sides for a like-for-like epoch
        return options;
    }
}
