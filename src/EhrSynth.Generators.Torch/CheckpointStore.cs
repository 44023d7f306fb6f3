using TorchSharp.Modules;
using TorchSharp.PyBridge;
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
                all[$"{name}.{key}"] = value.detach().cpu();
            }
        }

        Safetensors.SaveStateDict(path, all);
    }

    /// <summary>Loads weights, checking every key and shape first and listing every problem in one error.</summary>
    /// <exception cref="InvalidDataException">The file does not fit the modules.</exception>
    public static void LoadWeights(string path, IEnumerable<(string Name, nn.Module Module)> modules)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} is missing.");
        }

        using var scope = NewDisposeScope();
        var saved = Safetensors.LoadStateDict(path);
        var problems = new List<string>();
        var used = new HashSet<string>();
        var plan = new List<(nn.Module Module, Dictionary<string, Tensor> Values)>();
        foreach (var (name, module) in modules)
        {
            var values = new Dictionary<string, Tensor>();
            foreach (var (key, expected) in module.state_dict())
            {
                string full = $"{name}.{key}";
                if (!saved.TryGetValue(full, out var value))
                {
                    problems.Add($"missing {full}");
                    continue;
                }

                used.Add(full);
                if (!value.shape.SequenceEqual(expected.shape))
                {
                    problems.Add($"{full} has shape [{string.Join(", ", value.shape)}], expected [{string.Join(", ", expected.shape)}]");
                    continue;
                }

                values[key] = value;
            }

            plan.Add((module, values));
        }

        problems.AddRange(saved.Keys.Where(k => !used.Contains(k)).Select(k => $"unexpected {k}"));
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{path} does not fit the model ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}): {string.Join("; ", problems.Take(20))}{(problems.Count > 20 ? "; …" : "")}.");
        }

        using (no_grad())
        {
            foreach (var (module, values) in plan)
            {
                module.load_state_dict(values, strict: true);
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
