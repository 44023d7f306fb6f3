using BenchmarkDotNet.Attributes;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Llm;
using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Llm.Gpt2.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// GPT-2 training throughput on the DistilGPT2-shaped preset (6 layers, 768 wide, 50,257 tokens, 82 M parameters)
/// at T = 64, batch 8: two AdamW steps of forward, cross-entropy and backward per invocation.
/// Tokens/s = 1,024 ÷ time; GFLOP/s = 6 · parameters · tokens ÷ time (the usual transformer estimate).
/// </summary>
[WarmupCount(1)]
[IterationCount(3)]
public class LlmTrainingBenchmark
{
    private Gpt2LmHeadNet _model = null!;
    private optim.Optimizer _adam = null!;
    private Tensor _tokens = null!;

    [ParamsSource(typeof(BenchmarkDevices), nameof(BenchmarkDevices.All))]
    public string Device { get; set; } = "cpu";

    [GlobalSetup]
    public void Setup()
    {
        var device = new Device(Device);
        random.manual_seed(1);
        _model = new Gpt2LmHeadNet(Gpt2Config.DistilGpt2);
        _model.to(device);
        _model.train();
        _adam = optim.AdamW(_model.parameters(), 5e-5);
        _tokens = randint(0, Gpt2Config.DistilGpt2.VocabSize, [8, 65], device: device).DetachFromDisposeScope();
        long parameters = _model.parameters().Sum(p => p.numel());
        Console.WriteLine($"// DistilGPT2 preset: {parameters / 1e6:F1} M parameters; one step of 8 × 64 tokens = {6.0 * parameters * 512 / 1e9:F0} GFLOP");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tokens.Dispose();
        _adam.Dispose();
        _model.Dispose();
    }

    [Benchmark(Description = "2 training steps, 8 × 64 tokens")]
    public float TrainTwoSteps()
    {
        float loss = 0;
        for (int i = 0; i < 2; i++)
        {
            using var scope = NewDisposeScope();
            var input = _tokens[.., ..64];                                                       // [8, 64]
            var target = _tokens[.., 1..];                                                       // [8, 64]
            var logits = _model.call(input);                                                     // [8, 64, V]
            var l = nn.functional.cross_entropy(logits.flatten(0, 1), target.flatten());
            _adam.zero_grad();
            l.backward();
            _adam.step();
            loss = l.item<float>();
        }

        return loss;
    }
}

/// <summary>
/// Decoding speed at batch 64: 64 new tokens after an 8-token prompt, greedy, with the preallocated KV cache against
/// recomputing the whole prefix at every step; on the "small" preset (4 layers, 256 wide) with a 1,100-token
/// code-level vocabulary. Tokens/s = 64 × 64 ÷ time.
/// </summary>
[WarmupCount(1)]
[IterationCount(3)]
public class LlmDecodingBenchmark
{
    private const int Batch = 64, Prompt = 8, NewTokens = 64;
    private Gpt2LmHeadNet _model = null!;
    private Tensor _prompt = null!;
    private Device _device = null!;

    [ParamsSource(typeof(BenchmarkDevices), nameof(BenchmarkDevices.All))]
    public string Device { get; set; } = "cpu";

    [GlobalSetup]
    public void Setup()
    {
        _device = new Device(Device);
        random.manual_seed(1);
        _model = new Gpt2LmHeadNet(Gpt2Config.Small with { VocabSize = 1_100 });
        _model.to(_device);
        _model.eval();
        _prompt = randint(0, 1_100, [Batch, Prompt], device: _device).DetachFromDisposeScope();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _prompt.Dispose();
        _model.Dispose();
    }

    [Benchmark(Description = "KV cache")]
    public long WithCache()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var c = _model.Config;
        using var cache = new KvCache(c.Layers, Batch, c.Heads, Prompt + NewTokens, c.Embedding / c.Heads, _device);
        var next = _model.Forward(_prompt, cache, 0)[.., ^1, ..].argmax(1, keepdim: true);      // [B, 1]
        for (int t = 1; t < NewTokens; t++)
        {
            next = _model.Forward(next, cache, Prompt + t - 1)[.., ^1, ..].argmax(1, keepdim: true);
        }

        return next.sum().item<long>();
    }

    [Benchmark(Baseline = true, Description = "naive recompute")]
    public long Recompute()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var context = _prompt;                                                                  // [B, Tp]
        for (int t = 0; t < NewTokens; t++)
        {
            var next = _model.Forward(context, null, 0)[.., ^1, ..].argmax(1, keepdim: true);   // [B, 1]
            context = cat([context, next], dim: 1);                                              // [B, Tp + t + 1]
        }

        return context.sum().item<long>();
    }
}

/// <summary>
/// The cost of constrained decoding: one batch of 256 records from the quick-preset LLM (code-level tokenizer) fitted
/// for one epoch on 2,000 MIMIC-sized patients, with and without the trie mask. The token counts are printed at setup,
/// so tokens/s = count ÷ time.
/// </summary>
[WarmupCount(1)]
[IterationCount(3)]
public class LlmConstrainedDecodingBenchmark
{
    private LlmGenerator _llm = null!;

    [ParamsSource(typeof(BenchmarkDevices), nameof(BenchmarkDevices.All))]
    public string Device { get; set; } = "cpu";

    [GlobalSetup]
    public void Setup()
    {
        var options = LlmOptions.Quick(1);
        options.Device = ComputeDevice.Parse(Device);
        _llm = new LlmGenerator(options);
        _llm.FitAsync(MimicScaleData.Create(2_000, seed: 1)).GetAwaiter().GetResult();
        Console.WriteLine($"// tokens per batch of 256: constrained {_llm.SampleBatchTokens(256, true, 1)}, unconstrained {_llm.SampleBatchTokens(256, false, 1)}");
    }

    [GlobalCleanup]
    public void Cleanup() => _llm.Dispose();

    [Benchmark(Description = "constrained, 256 records")]
    public long Constrained() => _llm.SampleBatchTokens(256, true, 1);

    [Benchmark(Baseline = true, Description = "unconstrained, 256 records")]
    public long Unconstrained() => _llm.SampleBatchTokens(256, false, 1);
}
