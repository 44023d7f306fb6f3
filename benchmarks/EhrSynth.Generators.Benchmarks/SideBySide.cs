using System.Diagnostics;
using System.Text.Json;
using EhrSynth.Generators.Diffusion;
using EhrSynth.Generators.Diffusion.Ddpm;
using EhrSynth.Generators.Gan.CorGan;
using EhrSynth.Generators.Gan.MedGan;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Llm.Gpt2.Modules;
using EhrSynth.Generators.Torch;
using EhrSynth.Generators.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// The library's half of the side-by-side comparison with PyTorch (<c>benchmarks/pytorch/compare.sh</c>): the same
/// cases as <c>benchmarks/pytorch/bench.py</c>, measured the same way, written as JSON.
/// <list type="bullet">
/// <item>One training step: the generator's own <c>FitAsync</c> on MIMIC-sized random data (1,071 codes) with its
/// reference (or named) preset, reporting every step; a step's time is the gap between two consecutive progress
/// reports, so it includes everything the library does per step (dense batch from the sparse data, forward, backward,
/// optimizer, EMA, loss read-back). Median over the steps after <see cref="WarmupSteps"/>.</item>
/// <item>Generation: <c>Generate(count)</c> of the fitted generator (weights do not change the cost), median of
/// <c>runs</c> after one small warm-up call.</item>
/// <item>GPT-2: the library's network (<c>Gpt2LmHeadNet</c>) with its AdamW, and greedy decoding with its KV cache.</item>
/// </list>
/// Run: <c>dotnet run -c Release --project benchmarks/EhrSynth.Generators.Benchmarks -- --side-by-side OUT.json [--runs N] [--cases a,b]</c>.
/// </summary>
internal static class SideBySide
{
    private const int WarmupSteps = 2, Codes = 1_071;

    /// <summary>Timed steps per case (as in bench.py): 20, or 6 where one step takes seconds.</summary>
    private static int MeasuredSteps(string name) => name is "vae-conv" or "gpt2-distil" ? 6 : 20;

    /// <summary>The case names, shared with bench.py.</summary>
    public static readonly string[] Cases = ["vae-conv", "vae-mlp", "medgan", "corgan", "ehrdiff", "ddpm", "gpt2-distil", "gpt2-tiny"];

    public static int Run(string output, int runs, IReadOnlyCollection<string> cases)
    {
        set_num_threads(2);
        var results = new List<Dictionary<string, object>>();
        foreach (string name in Cases.Where(cases.Contains))
        {
            var watch = Stopwatch.StartNew();
            foreach (var (measure, seconds, detail) in Measure(name, runs))
            {
                Console.WriteLine($"{name,-12} {measure,-14} {seconds * 1e3,12:F1} ms   {detail}");
                results.Add(new() { ["case"] = name, ["measure"] = measure, ["seconds"] = seconds, ["detail"] = detail });
            }

            Console.WriteLine($"// {name}: {watch.Elapsed.TotalSeconds:F0} s");
        }

        string json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["side"] = "library",
            ["runtime"] = $"TorchSharp {typeof(torch).Assembly.GetName().Version}, .NET {Environment.Version}",
            ["threads"] = get_num_threads(),
            ["results"] = results,
        }, new JsonSerializerOptions { WriteIndented = true });
        string temp = output + ".tmp";
        File.WriteAllText(temp, json);
        File.Move(temp, output, overwrite: true);
        return 0;
    }

    private static IEnumerable<(string Measure, double Seconds, string Detail)> Measure(string name, int runs) => name switch
    {
        "vae-conv" => Generator(new VaeOptions { Epochs = 1 }, 500, MeasuredSteps(name), 10_000, runs, "conv VAE (the paper's), batch 500, Adam"),
        "vae-mlp" => Generator(Epochs(VaeOptions.Quick(1), 1), 500, MeasuredSteps(name), 10_000, runs, "MLP VAE (quick preset), batch 500, Adam"),
        "medgan" => Generator(new MedGanOptions { PretrainEpochs = 0, Epochs = 1, CheckModeCollapse = false }, 1_000, MeasuredSteps(name), 10_000, runs,
            "reference: batch 1,000, 2 D + 1 G updates per step; generation includes 1,000 BatchNorm burn-in batches"),
        "corgan" => Generator(new CorGanOptions { PretrainEpochs = 0, Epochs = 1, CheckModeCollapse = false, BoostFirstIterations = 0 }, 512, MeasuredSteps(name), 10_000, runs,
            "reference steady state: batch 512, 5 critic + 1 G updates per step, weight clipping"),
        "ehrdiff" => Generator(new EhrDiffOptions { Epochs = 1 }, 1_024, MeasuredSteps(name), 10_000, runs, "reference v2: batch 1,024, AdamW + EMA; 32-level Heun sampler"),
        "ddpm" => Generator(new DdpmOptions { Epochs = 1 }, 1_024, MeasuredSteps(name), 1_000, runs, "batch 1,024, AdamW + EMA; 1,000-step ancestral sampler"),
        "gpt2-distil" => Gpt2(Gpt2Config.DistilGpt2, 8, 64, MeasuredSteps(name), runs, "DistilGPT2 preset (82 M), AdamW"),
        "gpt2-tiny" => Gpt2(Gpt2Config.Tiny with { VocabSize = 1_100 }, 256, 32, MeasuredSteps(name), runs, "tiny preset, 1,100-token code vocabulary, AdamW"),
        _ => throw new ArgumentException($"unknown case '{name}'; known: {string.Join(", ", Cases)}"),
    };

    /// <summary>
    /// Where the conv VAE's generation time goes, stage by stage, at the library's generation batch of 1,000 (bench.py
    /// <c>--profile-vae-conv</c> times the same stages): median of 10 after 2 warm-ups, in milliseconds.
    /// </summary>
    public static int ProfileConvDecoder()
    {
        set_num_threads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        random.manual_seed(1);
        var geometry = Vae.Modules.ConvGeometry.For(Codes, 5, 4);
        using var decoder = new Vae.Modules.ConvDecoderNet(geometry, 128, 128);
        decoder.eval();
        var fc = decoder.named_children().ToDictionary(c => c.name, c => c.module);
        var z = randn(1_000, 128);                                                                  // [B, Z]
        var h0 = nn.functional.relu(((nn.Module<Tensor, Tensor>)fc["fc"]).call(z)).view(-1, 128, geometry.Length2);   // [B, C, L2]
        var h1 = nn.functional.relu(((nn.Module<Tensor, Tensor>)fc["deconv1"]).call(h0)[.., .., ..geometry.Length1]); // [B, C, L1]
        var logits = decoder.call(z);                                                               // [B, D]
        var p = logits.sigmoid();                                                                   // [B, D]
        var stages = new (string Name, Func<Tensor> Run)[]
        {
            ("fc + relu", () => nn.functional.relu(((nn.Module<Tensor, Tensor>)fc["fc"]).call(z))),
            ("deconv1 128→128 + relu", () => nn.functional.relu(((nn.Module<Tensor, Tensor>)fc["deconv1"]).call(h0))),
            ("deconv2 128→1", () => ((nn.Module<Tensor, Tensor>)fc["deconv2"]).call(h1)),
            ("whole decoder", () => decoder.call(z)),
            ("sigmoid", () => logits.sigmoid()),
            ("bernoulli", () => bernoulli(p)),
            ("nonzero", () => bernoulli(p).nonzero()),
        };
        foreach (var (name, run) in stages)
        {
            Console.WriteLine($"{name,-24} {ProfileTiming.MedianMilliseconds(() => run()),9:F2} ms");
        }

        return 0;
    }

    private static VaeOptions Epochs(VaeOptions o, int epochs)
    {
        o.Epochs = epochs;
        return o;
    }

    private static IEnumerable<(string, double, string)> Generator(TorchGeneratorOptions options, int batch, int steps, int records, int runs, string detail)
    {
        options.Seed ??= 1;
        options.ReportEvery = 1;
        options.Threads = 2;
        var data = MimicScaleData.Create(batch * (WarmupSteps + steps + 2), seed: 1, codes: Codes);
        using var generator = CreateGenerator(options);
        var progress = new StepClock();
        generator.FitAsync(data, progress).GetAwaiter().GetResult();
        yield return ("train step", progress.MedianStep(WarmupSteps), $"{detail}; median of {progress.Count - WarmupSteps - 1} steps");

        generator.Generate(Math.Min(records, 200), seed: 2);
        var times = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            var watch = Stopwatch.StartNew();
            var generated = generator.Generate(records, seed: 3 + r);
            times.Add(watch.Elapsed.TotalSeconds);
            if (generated.PatientCount != records)
            {
                throw new InvalidOperationException($"generated {generated.PatientCount} records, not {records}");
            }
        }

        yield return ($"generate {records:N0}", Median(times), $"median of {runs}");
    }

    private static IEhrGenerator CreateGenerator(TorchGeneratorOptions options) => options switch
    {
        VaeOptions o => new VaeGenerator(o),
        MedGanOptions o => new MedGanGenerator(o),
        CorGanOptions o => new CorGanGenerator(o),
        EhrDiffOptions o => new EhrDiffGenerator(o),
        DdpmOptions o => new DdpmGenerator(o),
        _ => throw new ArgumentException(options.GetType().Name),
    };

    private static IEnumerable<(string, double, string)> Gpt2(Gpt2Config config, int batch, int length, int measured, int runs, string detail)
    {
        random.manual_seed(1);
        using var model = new Gpt2LmHeadNet(config);
        using var adam = new Torch.Optimizers.AdamW(model.parameters(), 5e-5);
        using var tokens = randint(0, config.VocabSize, [batch, length + 1]);                  // [B, T+1]
        model.train();
        var steps = new List<double>();
        for (int s = 0; s < WarmupSteps + measured; s++)
        {
            var watch = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                var logits = model.call(tokens[.., ..length]);                                   // [B, T, V]
                var loss = nn.functional.cross_entropy(logits.flatten(0, 1), tokens[.., 1..].flatten());   // []
                adam.zero_grad();
                loss.backward();
                adam.Step();
                _ = loss.item<float>();
            }

            if (s >= WarmupSteps)
            {
                steps.Add(watch.Elapsed.TotalSeconds);
            }
        }

        yield return ("train step", Median(steps), $"{detail}, batch {batch} × {length} tokens; median of {measured} steps");

        const int DecodeBatch = 64, Prompt = 8, NewTokens = 64;
        model.eval();
        using var prompt = randint(0, config.VocabSize, [DecodeBatch, Prompt]);               // [B, Tp]
        Decode(model, prompt, NewTokens);
        var times = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            var watch = Stopwatch.StartNew();
            Decode(model, prompt, NewTokens);
            times.Add(watch.Elapsed.TotalSeconds);
        }

        yield return ($"decode {NewTokens}×{DecodeBatch}", Median(times), $"greedy, KV cache, {Prompt}-token prompt; median of {runs}");
    }

    private static long Decode(Gpt2LmHeadNet model, Tensor prompt, int newTokens)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var c = model.Config;
        long b = prompt.shape[0];
        int p = (int)prompt.shape[1];
        using var cache = new KvCache(c.Layers, b, c.Heads, p + newTokens, c.Embedding / c.Heads, prompt.device);
        var next = model.Forward(prompt, cache, 0)[.., ^1, ..].argmax(1, keepdim: true);        // [B, 1]
        for (int t = 1; t < newTokens; t++)
        {
            next = model.Forward(next, cache, p + t - 1)[.., ^1, ..].argmax(1, keepdim: true);  // [B, 1]
        }

        return next.sum().item<long>();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Records the elapsed time at every in-epoch progress report of the last training phase.</summary>
    private sealed class StepClock : IProgress<TrainingProgress>
    {
        private readonly List<(Generation.TrainingPhaseName Phase, long Step, TimeSpan Elapsed)> _reports = [];

        public int Count => _reports.Count;

        public void Report(TrainingProgress value)
        {
            if (!value.IsEpochEnd)
            {
                _reports.Add((value.Phase, value.Step, value.Elapsed));
            }
        }

        public double MedianStep(int warmup)
        {
            var phase = _reports[^1].Phase;
            var r = _reports.Where(x => x.Phase == phase).ToList();
            var gaps = new List<double>();
            for (int i = warmup + 1; i < r.Count; i++)
            {
                if (r[i].Step == r[i - 1].Step + 1)
                {
                    gaps.Add((r[i].Elapsed - r[i - 1].Elapsed).TotalSeconds);
                }
            }

            return gaps.Count > 0 ? Median(gaps) : throw new InvalidOperationException("too few progress reports to time a step");
        }
    }
}
