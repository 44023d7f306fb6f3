using System.Text.Json;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Llm.Gpt2.Modules;
using EhrSynth.Generators.Torch;
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

    /// <summary>
    /// Loads a checkpoint's weights into <paramref name="model"/>. Every file's header is checked (see
    /// <see cref="SafetensorsFile"/>) and every key and shape compared with the model before any tensor data is read.
    /// </summary>
    /// <exception cref="InvalidDataException">Missing, unexpected or mis-shaped keys (all listed), a malformed file, or no safetensors file.</exception>
    public static void LoadWeights(string folder, Gpt2LmHeadNet model)
    {
        using var scope = NewDisposeScope();
        var expected = model.state_dict();
        var problems = new List<string>();
        var plan = new List<(SafetensorsHeader Header, string RawKey, string Key, bool Transpose)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in WeightFiles(folder))
        {
            var header = SafetensorsFile.ReadHeader(file);
            foreach (var (rawKey, entry) in header.Entries)
            {
                string key = rawKey.StartsWith("transformer.", StringComparison.Ordinal) ? rawKey : "transformer." + rawKey;
                if (rawKey == "lm_head.weight" || key.EndsWith(".attn.bias", StringComparison.Ordinal) || key.EndsWith(".attn.masked_bias", StringComparison.Ordinal))
                {
                    continue;
                }

                string shown = TextSafety.Printable(rawKey, 80);
                if (!expected.TryGetValue(key, out var target))
                {
                    problems.Add($"unexpected {shown}");
                    continue;
                }

                if (!used.Add(key))
                {
                    problems.Add($"{shown} appears in more than one file");
                    continue;
                }

                bool transpose = Conv1DSuffixes.Any(s => key.EndsWith(s, StringComparison.Ordinal));
                long[] shape = transpose && entry.Shape.Length == 2 ? [entry.Shape[1], entry.Shape[0]] : entry.Shape;
                if (!shape.SequenceEqual(target.shape))
                {
                    problems.Add($"{shown} has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", target.shape)}]{(transpose ? " (transposed)" : "")}");
                    continue;
                }

                plan.Add((header, rawKey, key, transpose));
            }
        }

        problems.AddRange(expected.Keys.Where(k => !used.Contains(k)).Select(k => $"missing {k}"));
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{folder}: the checkpoint does not fit the configured GPT-2 ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}): {string.Join("; ", problems.Take(30))}{(problems.Count > 30 ? "; …" : "")}.");
        }

        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var group in plan.GroupBy(p => p.Header))
        {
            var read = SafetensorsFile.ReadTensors(group.Key, group.Select(p => p.RawKey));
            foreach (var p in group)
            {
                values[p.Key] = p.Transpose ? read[p.RawKey].t().contiguous() : read[p.RawKey];     // Conv1D [in, out] → Linear [out, in]
            }
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

    /// <summary>
    /// The safetensors files of a checkpoint: <c>model.safetensors</c>, or the files a sharded index names — which must
    /// be plain file names inside the folder (an index naming a path elsewhere is refused).
    /// </summary>
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
            if (new FileInfo(index).Length > InputLimits.MaxJsonBytes)
            {
                throw new EhrDataFormatException($"the index is larger than {InputLimits.MaxJsonBytes:N0} bytes", index);
            }

            var files = new List<string>();
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(index));
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                {
                    throw new EhrDataFormatException("the index has no weight_map object", index);
                }

                foreach (var entry in map.EnumerateObject())
                {
                    string? file = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() : null;
                    if (string.IsNullOrEmpty(file) || file != Path.GetFileName(file) || file is "." or ".." || file.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
                    {
                        throw new EhrDataFormatException($"the weight_map entry of '{TextSafety.Printable(entry.Name, 80)}' names '{TextSafety.Printable(file, 80)}', which is not a file name inside the checkpoint folder", index);
                    }

                    files.Add(Path.Combine(folder, file));
                }
            }
            catch (JsonException e)
            {
                throw new EhrDataFormatException($"the index is not valid JSON ({e.Message})", index, innerException: e);
            }

            return files.Distinct(StringComparer.Ordinal).ToList();
        }

        string pickle = Path.Combine(folder, "pytorch_model.bin");
        throw new InvalidDataException(File.Exists(pickle)
            ? $"{folder} has only pytorch_model.bin: pickled checkpoints can run code and are not read. Convert it to safetensors (transformers: model.save_pretrained(dir, safe_serialization=True))."
            : $"{folder} has neither {WeightsFile} nor {IndexFile}.");
    }
}
