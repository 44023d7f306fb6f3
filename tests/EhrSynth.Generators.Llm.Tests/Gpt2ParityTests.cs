using System.Text.Json;
using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Llm.Gpt2.Modules;
using EhrSynth.Generators.Testing;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Tests;

/// <summary>The tiny HF checkpoint against outputs computed independently in float64 (Fixtures/tiny-gpt2/README.md).</summary>
public class Gpt2ParityTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-gpt2");

    private static Gpt2LmHeadNet LoadTiny()
    {
        var model = new Gpt2LmHeadNet(Gpt2Checkpoint.ReadConfig(Folder));
        Gpt2Checkpoint.LoadWeights(Folder, model);
        model.eval();
        return model;
    }

    [Fact]
    public void Forward_MatchesTheReferenceWithin1e4()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "reference_forward.json")));
        var root = reference.RootElement;
        long[] ids = [.. root.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64())];
        using var model = LoadTiny();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(ids, [1, ids.Length]);
        var hidden = model.Transformer.call(input)[0];                                 // [T, C]
        var logits = model.HiddenToLogits(hidden);                                     // [T, V]
        var expectedHidden = root.GetProperty("final_hidden_after_ln_f").EnumerateArray().ToArray();
        foreach (var position in root.GetProperty("per_position").EnumerateArray())
        {
            int t = position.GetProperty("position").GetInt32();
            var row = logits[t];
            var h = hidden[t].data<float>().ToArray();
            var eh = expectedHidden[t].EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int c = 0; c < h.Length; c++)
            {
                Assert.True(Math.Abs(h[c] - eh[c]) < 1e-4, $"hidden[{t},{c}] {h[c]} vs {eh[c]}");
            }

            var (values, indices) = row.topk(5);
            Assert.Equal(position.GetProperty("top5_ids").EnumerateArray().Select(e => e.GetInt64()), indices.data<long>().ToArray());
            Near(position.GetProperty("top5_logits").EnumerateArray().Select(e => e.GetDouble()).ToArray(), values.data<float>().ToArray());
            Near(position.GetProperty("logit_of_token_0").GetDouble(), row[0].item<float>());
            Near(position.GetProperty("logit_of_token_50256").GetDouble(), row[50_256].item<float>());
            Near(position.GetProperty("logsumexp").GetDouble(), row.logsumexp(0).item<float>());
            Assert.True(Math.Abs(position.GetProperty("sum_logits").GetDouble() - row.sum().item<float>()) < 1e-2);
        }

        var nll = nn.functional.cross_entropy(logits[..^1], input[0, 1..]).item<float>();
        Near(root.GetProperty("mean_next_token_nll").GetDouble(), nll);
    }

    [Fact]
    public void GreedyFromHello_MatchesTheReference()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "reference_forward.json")));
        var greedy = reference.RootElement.GetProperty("greedy_from_Hello");
        long[] expected = [.. greedy.GetProperty("generated_ids").EnumerateArray().Select(e => e.GetInt64())];
        using var model = LoadTiny();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = new List<long> { 15_496 };   // "Hello"
        for (int i = 0; i < expected.Length; i++)
        {
            var logits = model.call(tensor(ids.ToArray(), [1, ids.Count]));
            ids.Add(logits[0, ^1].argmax().item<long>());
        }

        Assert.Equal(expected, ids.Skip(1));
    }

    [Fact]
    public void SaveThenLoad_HuggingFaceLayout_SameLogits()
    {
        using var dir = new TempDirectory();
        using var model = LoadTiny();
        Gpt2Checkpoint.Save(dir.Path, model);
        using var scope = NewDisposeScope();
        var saved = Safetensors.LoadStateDict(Path.Combine(dir.Path, Gpt2Checkpoint.WeightsFile));
        Assert.Equal([2L, 6], saved["transformer.h.0.attn.c_attn.weight"].shape);      // Conv1D layout [in, out]
        Assert.False(saved.ContainsKey("lm_head.weight"));
        var header = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir.Path, Gpt2Checkpoint.WeightsFile)).AsSpan(8, 200));
        Assert.Contains("\"__metadata__\":{\"format\":\"pt\"}", header, StringComparison.Ordinal);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "config.json"))).RootElement;
        Assert.Equal("gpt2", config.GetProperty("model_type").GetString());
        Assert.Equal(2, config.GetProperty("n_embd").GetInt32());

        using var reloaded = new Gpt2LmHeadNet(Gpt2Checkpoint.ReadConfig(dir.Path));
        Gpt2Checkpoint.LoadWeights(dir.Path, reloaded);
        reloaded.eval();
        using var noGrad = no_grad();
        var input = tensor(new long[] { 15_496, 995, 11 }, [1, 3]);
        Assert.Equal(model.call(input).data<float>().ToArray(), reloaded.call(input).data<float>().ToArray());
    }

    [Fact]
    public void Load_AcceptsUnprefixedKeysBuffersAndShards()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var original = Safetensors.LoadStateDict(Path.Combine(Folder, Gpt2Checkpoint.WeightsFile));
        var unprefixed = original.ToDictionary(kv => kv.Key["transformer.".Length..], kv => kv.Value);
        unprefixed["h.0.attn.bias"] = ones(1, 1, 4, 4);
        unprefixed["h.0.attn.masked_bias"] = tensor(-1e4f);
        unprefixed["lm_head.weight"] = original["transformer.wte.weight"];
        var half = unprefixed.Keys.Order().ToArray();
        Safetensors.SaveStateDict(dir.File("a.safetensors"), half.Take(10).ToDictionary(k => k, k => unprefixed[k]));
        Safetensors.SaveStateDict(dir.File("b.safetensors"), half.Skip(10).ToDictionary(k => k, k => unprefixed[k]));
        File.WriteAllText(dir.File(Gpt2Checkpoint.IndexFile), JsonSerializer.Serialize(new { weight_map = half.ToDictionary(k => k, k => Array.IndexOf(half, k) < 10 ? "a.safetensors" : "b.safetensors") }));
        File.Copy(Path.Combine(Folder, "config.json"), dir.File("config.json"));

        using var model = new Gpt2LmHeadNet(Gpt2Checkpoint.ReadConfig(dir.Path));
        Gpt2Checkpoint.LoadWeights(dir.Path, model);
        using var reference = LoadTiny();
        model.eval();
        using var noGrad = no_grad();
        var input = tensor(new long[] { 15_496, 995 }, [1, 2]);
        Assert.Equal(reference.call(input).data<float>().ToArray(), model.call(input).data<float>().ToArray());
    }

    [Fact]
    public void Load_ListsEveryMissingUnexpectedAndMisshapedKey()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var weights = Safetensors.LoadStateDict(Path.Combine(Folder, Gpt2Checkpoint.WeightsFile));
        weights.Remove("transformer.ln_f.bias");
        weights["transformer.h.0.mlp.c_fc.weight"] = zeros(3, 8);
        weights["transformer.extra.weight"] = zeros(1);
        Safetensors.SaveStateDict(dir.File(Gpt2Checkpoint.WeightsFile), weights);
        File.Copy(Path.Combine(Folder, "config.json"), dir.File("config.json"));
        using var model = new Gpt2LmHeadNet(Gpt2Checkpoint.ReadConfig(dir.Path));
        var e = Assert.Throws<InvalidDataException>(() => Gpt2Checkpoint.LoadWeights(dir.Path, model));
        foreach (var expected in new[] { "3 problems", "missing transformer.ln_f.bias", "unexpected transformer.extra.weight", "transformer.h.0.mlp.c_fc.weight has shape [3, 8], expected [8, 2]" })
        {
            Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"'{expected}' not in: {e.Message}");
        }
    }

    [Theory]
    [InlineData("../outside.safetensors")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/inner.safetensors")]
    public void Load_ShardIndexNamingAFileOutsideTheFolder_IsRefused(string file)
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(Folder, "config.json"), dir.File("config.json"));
        File.WriteAllText(dir.File(Gpt2Checkpoint.IndexFile), JsonSerializer.Serialize(new { weight_map = new Dictionary<string, string> { ["transformer.wte.weight"] = file } }));
        using var model = new Gpt2LmHeadNet(Gpt2Checkpoint.ReadConfig(dir.Path));
        var e = Assert.Throws<EhrSynth.Generators.IO.EhrDataFormatException>(() => Gpt2Checkpoint.LoadWeights(dir.Path, model));
        Assert.Contains("not a file name inside the checkpoint folder", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"n_head\": 2", "\"n_head\": 0", "n_head is 0")]
    [InlineData("\"n_embd\": 2", "\"n_embd\": 1000000", "n_embd is 1,000,000")]
    [InlineData("\"n_positions\": 1024", "\"n_positions\": 100000000", "n_positions is 100,000,000")]
    public void ReadConfig_SizesOutsideTheLimits_AreRefused(string from, string to, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.json"), File.ReadAllText(Path.Combine(Folder, "config.json")).Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<EhrSynth.Generators.IO.EhrDataFormatException>(() => Gpt2Checkpoint.ReadConfig(dir.Path));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefusesPickle()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(Folder, "config.json"), dir.File("config.json"));
        File.WriteAllBytes(dir.File("pytorch_model.bin"), [0x80, 0x02]);
        using var model = new Gpt2LmHeadNet(Gpt2Checkpoint.ReadConfig(dir.Path));
        Assert.Contains("pickled", Assert.Throws<InvalidDataException>(() => Gpt2Checkpoint.LoadWeights(dir.Path, model)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Presets_MatchThePaperAndGpt2Init()
    {
        Assert.Equal((6, 768, 12), (Gpt2Config.DistilGpt2.Layers, Gpt2Config.DistilGpt2.Embedding, Gpt2Config.DistilGpt2.Heads));
        Assert.Equal((24, 1024, 16), (Gpt2Config.Gpt2Medium.Layers, Gpt2Config.Gpt2Medium.Embedding, Gpt2Config.Gpt2Medium.Heads));
        Assert.Equal((36, 1280, 20), (Gpt2Config.Gpt2Large.Layers, Gpt2Config.Gpt2Large.Embedding, Gpt2Config.Gpt2Large.Heads));
        Assert.Equal(124_439_808, Gpt2Config.Gpt2.ParameterCount());                  // GPT-2 small with a tied head
        Assert.Equal(81_912_576, Gpt2Config.DistilGpt2.ParameterCount());

        using var scope = NewDisposeScope();
        var config = new Gpt2Config { Layers = 8, Embedding = 256, Heads = 4, VocabSize = 5_000, Positions = 64 };
        using var model = new Gpt2LmHeadNet(config);
        model.InitializeWeights();
        Assert.Equal(config.ParameterCount(), model.parameters().Sum(p => p.numel()));
        Assert.InRange(model.Transformer.TokenEmbedding.std().item<float>(), 0.019, 0.021);     // not TorchSharp's N(0, 1)
        Assert.InRange(model.Transformer.Blocks[0].Mlp.OutputProjection.weight!.std().item<float>(), 0.0045, 0.0055); // 0.02/√16
    }

    private static void Near(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) < 1e-4, $"expected {expected}, got {actual}");

    private static void Near(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Near(expected[i], actual[i]);
        }
    }
}
