using System.Text.Json;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Llm.Gpt2.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Gpt2;

/// <summary>
/// Hugging Face GPT-2 checkpoint folders, both directions: <c>config.json</c> plus <c>model.safetensors</c> (or a sharded
/// <c>model.safetensors.index.json</c>). Keys are accepted with or without the <c>transformer.</c> prefix, the
/// <c>attn.bias</c>/<c>attn.masked_bias</c> buffers and the tied <c>lm_head.weight</c> are ignored, and Conv1D weights
/// (stored [in, out]) are transposed. Only safetensors are read: no pickle, and no code runs at load.
/// </summary>
internal static class Gpt2Checkpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    private static readonly string[] Conv1DSuffixes = ["attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight"];

    /// <summary>Whether a folder looks like a Hugging Face checkpoint.</summary>
    public static bool IsCheckpoint(string folder) => File.Exists(Path.Combine(folder, ConfigFile));

    /// <summary>Reads the configuration of a checkpoint folder.</summary>
    public static Gpt2Config ReadConfig(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{folder} is not a Hugging Face checkpoint: {ConfigFile} is missing.", path);
        }

        return Gpt2Config.Load(path);
    }

    /// <summary>Loads a checkpoint's weights into <paramref name="model"/>, validating every key and shape first.</summary>
    /// <exception cref="InvalidDataException">Missing, unexpected or mis-shaped keys (all listed), or no safetensors file.</exception>
    public static void LoadWeights(string folder, Gpt2LmHeadNet model)
    {
        using var scope = NewDisposeScope();
        var saved = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var file in WeightFiles(folder))
        {
            foreach (var (key, value) in SafetensorsFile.Read(file))
            {
                saved[key] = value;
            }
        }

        var expected = model.state_dict();
        var problems = new List<string>();
        var values = new Dictionary<string, Tensor>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (rawKey, rawValue) in saved)
        {
            string key = rawKey.StartsWith("transformer.", StringComparison.Ordinal) ? rawKey : "transformer." + rawKey;
            if (rawKey == "lm_head.weight" || key.EndsWith(".attn.bias", StringComparison.Ordinal) || key.EndsWith(".attn.masked_bias", StringComparison.Ordinal))
            {
                continue;
            }

            if (!expected.TryGetValue(key, out var target))
            {
                problems.Add($"unexpected {rawKey}");
                continue;
            }

            used.Add(key);
            var value = rawValue.to_type(ScalarType.Float32);
            if (Conv1DSuffixes.Any(s => key.EndsWith(s, StringComparison.Ordinal)))
            {
                value = value.t();                                                      // Conv1D [in, out] → Linear [out, in]
            }

            if (!value.shape.SequenceEqual(target.shape))
            {
                problems.Add($"{rawKey} has shape [{string.Join(", ", rawValue.shape)}], expected [{string.Join(", ", target.shape)}]{(Conv1DSuffixes.Any(s => key.EndsWith(s, StringComparison.Ordinal)) ? " (transposed)" : "")}");
                continue;
            }

            values[key] = value.contiguous();
        }

        problems.AddRange(expected.Keys.Where(k => !used.Contains(k)).Select(k => $"missing {k}"));
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{folder}: the checkpoint does not fit the configured GPT-2 ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}): {string.Join("; ", problems.Take(30))}{(problems.Count > 30 ? "; …" : "")}.");
        }

        using var noGrad = no_grad();
        model.load_state_dict(values, strict: true);
    }

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> in the layout <c>transformers</c> loads.</summary>
    public static void Save(string folder, Gpt2LmHeadNet model)
    {
        Directory.CreateDirectory(folder);
        model.Config.Save(Path.Combine(folder, ConfigFile));
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in model.state_dict())
        {
            tensors[key] = Conv1DSuffixes.Any(s => key.EndsWith(s, StringComparison.Ordinal)) ? value.t() : value;
        }

        SafetensorsFile.Write(Path.Combine(folder, WeightsFile), tensors);
    }

    private static IEnumerable<string> WeightFiles(string folder)
    {
        string single = Path.Combine(folder, WeightsFile);
        if (File.Exists(single))
        {
            return [single];
        }

        string index = Path.Combine(folder, IndexFile);
        if (File.Exists(index))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(index));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map))
            {
                throw new EhrDataFormatException("the index has no weight_map", index);
            }

            return map.EnumerateObject().Select(p => p.Value.GetString()!).Distinct().Select(f => Path.Combine(folder, f)).ToList();
        }

        string pickle = Path.Combine(folder, "pytorch_model.bin");
        throw new InvalidDataException(File.Exists(pickle)
            ? $"{folder} has only pytorch_model.bin: pickled checkpoints can run code and are not read. Convert it to safetensors (transformers: model.save_pretrained(dir, safe_serialization=True))."
            : $"{folder} has neither {WeightsFile} nor {IndexFile}.");
    }
}
