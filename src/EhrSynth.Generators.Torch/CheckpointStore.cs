using TorchSharp.Modules;
using EhrSynth.Generators.IO;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// Weights as one safetensors file (keys prefixed with the module's name), optimizer states in TorchSharp's format,
/// and in-memory weight snapshots for model selection.
/// </summary>
internal static class CheckpointStore
{
    public const string WeightsFile = "model.safetensors";
    public const string BestWeightsFile = "best.safetensors";

    public static void SaveWeights(string path, IEnumerable<(string Name, nn.Module Module)> modules)
    {
        using var scope = NewDisposeScope();
        var all = new Dictionary<string, Tensor>();
        foreach (var (name, module) in modules)
        {
            foreach (var (key, value) in module.state_dict())
            {
                all[$"{name}.{key}"] = value.detach();
            }
        }

        SafetensorsFile.Write(path, all);
    }

    /// <summary>Saves a snapshot taken with <see cref="Snapshot"/>.</summary>
    public static void SaveSnapshot(string path, Dictionary<string, Tensor> snapshot) => SafetensorsFile.Write(path, snapshot);

    /// <summary>
    /// Loads weights, checking the file's header (see <see cref="SafetensorsFile"/>) against every key and shape of the
    /// modules before any tensor data is read, and listing every problem in one error.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed or does not fit the modules.</exception>
    public static void LoadWeights(string path, IEnumerable<(string Name, nn.Module Module)> modules) =>
        LoadWeights(SafetensorsFile.ReadHeader(path), modules);

    /// <inheritdoc cref="LoadWeights(string, IEnumerable{ValueTuple{string, nn.Module}})"/>
    public static void LoadWeights(SafetensorsHeader header, IEnumerable<(string Name, nn.Module Module)> modules)
    {
        using var scope = NewDisposeScope();
        var problems = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var plan = new List<(nn.Module Module, string Prefix, List<string> Keys)>();
        foreach (var (name, module) in modules)
        {
            var keys = new List<string>();
            foreach (var (key, expected) in module.state_dict())
            {
                string full = $"{name}.{key}";
                if (!header.Entries.TryGetValue(full, out var entry))
                {
                    problems.Add($"missing {full}");
                    continue;
                }

                used.Add(full);
                if (!entry.Shape.SequenceEqual(expected.shape))
                {
                    problems.Add($"{full} has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", expected.shape)}]");
                    continue;
                }

                keys.Add(key);
            }

            plan.Add((module, name, keys));
        }

        problems.AddRange(header.Entries.Keys.Where(k => !used.Contains(k)).Select(k => $"unexpected {TextSafety.Printable(k, 80)}"));
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{header.Path} does not fit the model ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}): {string.Join("; ", problems.Take(20))}{(problems.Count > 20 ? "; …" : "")}.");
        }

        using (no_grad())
        {
            foreach (var (module, prefix, keys) in plan)
            {
                var values = SafetensorsFile.ReadTensors(header, keys.Select(k => $"{prefix}.{k}"));
                module.load_state_dict(keys.ToDictionary(k => k, k => values[$"{prefix}.{k}"]), strict: true);
            }
        }
    }

    public static void SaveOptimizers(string folder, IEnumerable<(string Name, OptimizerHelper Optimizer)> optimizers)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, optimizer) in optimizers)
        {
            optimizer.save_state_dict(Path.Combine(folder, $"optimizer-{name}.bin"));
        }
    }

    public static void LoadOptimizers(string folder, IEnumerable<(string Name, OptimizerHelper Optimizer)> optimizers)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, optimizer) in optimizers)
        {
            string path = Path.Combine(folder, $"optimizer-{name}.bin");
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"{path} is missing; the checkpoint cannot resume training.");
            }

            optimizer.load_state_dict(path);
        }
    }

    /// <summary>Detached copies of every module's state, kept alive outside any dispose scope.</summary>
    public static Dictionary<string, Tensor> Snapshot(IEnumerable<(string Name, nn.Module Module)> modules)
    {
        var copy = new Dictionary<string, Tensor>();
        foreach (var (name, module) in modules)
        {
            foreach (var (key, value) in module.state_dict())
            {
                copy[$"{name}.{key}"] = value.detach().clone().DetachFromDisposeScope();
            }
        }

        return copy;
    }

    public static void Restore(IEnumerable<(string Name, nn.Module Module)> modules, Dictionary<string, Tensor> snapshot)
    {
        using var _ = no_grad();
        foreach (var (name, module) in modules)
        {
            foreach (var (key, value) in module.state_dict())
            {
                value.copy_(snapshot[$"{name}.{key}"]);
            }
        }
    }

    public static void Dispose(Dictionary<string, Tensor>? snapshot)
    {
        foreach (var t in snapshot?.Values.AsEnumerable() ?? [])
        {
            t.Dispose();
        }
    }
}
