using System.CommandLine;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Llm;
using EhrSynth.Generators.Llm.Gpt2;

namespace EhrSynth.Generators.Cli;

/// <summary>
/// The LLM family's model choices on the command line: a local Hugging Face GPT-2 folder to fine-tune (the paper's
/// setup; nothing is downloaded), a GPT-2 size to train from scratch, and the tokenizer.
/// </summary>
internal static class LlmCliOptions
{
    public static Option<string?> Pretrained() => new("--pretrained")
    {
        Description = "LLM only: a local Hugging Face GPT-2 folder (config.json, model.safetensors, vocab.json, merges.txt) to fine-tune, as the paper does. Implies --tokenizer bpe. Nothing is downloaded.",
    };

    public static Option<string?> ModelPreset() => new("--model-preset")
    {
        Description = "LLM only: the GPT-2 size trained from random weights: mini, tiny, small, distilgpt2, gpt2, gpt2-medium or gpt2-large.",
    };

    public static Option<string?> Tokenizer() => new("--tokenizer")
    {
        Description = "LLM only: bpe (GPT-2's byte-level BPE over the paper's sentence) or code (one token per code; fast from scratch).",
    };

    public static Option<string?> LongRecords() => new("--long-records")
    {
        Description = "LLM only: patients whose sentence is longer than a pretrained model's positions: refuse (the default; says how many and the longest), drop or truncate (a random subset of their codes that fits). Counted in the output. Models trained from scratch grow their positions instead.",
    };

    /// <summary>The <c>--long-records</c> policy, or <see langword="null"/> when the flag is absent.</summary>
    /// <exception cref="ArgumentException">The value is not refuse, drop or truncate.</exception>
    public static LlmLongRecords? ParseLongRecords(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "refuse" => LlmLongRecords.Refuse,
        "drop" => LlmLongRecords.Drop,
        "truncate" => LlmLongRecords.Truncate,
        _ => throw new ArgumentException($"--long-records must be refuse, drop or truncate (got '{TextSafety.Printable(text, 20)}')."),
    };

    /// <summary>The families with every LLM row set to <paramref name="policy"/> (unchanged without it).</summary>
    public static IReadOnlyList<GeneratorFamily> WithLongRecords(IReadOnlyList<GeneratorFamily> families, LlmLongRecords? policy) =>
        policy is not { } p ? families
        : [.. families.Select(f => f is GeneratorFamily<LlmOptions> ? f.Variant(f.Name, f.DisplayName, o => ((LlmOptions)o).LongRecords = p) : f)];

    public static Option<string?> Checkpoints() => new("--llm-checkpoints")
    {
        Description = "With --budget paper: comma-separated local Hugging Face GPT-2 folders (e.g. distilgpt2,gpt2,gpt2-medium,gpt2-large); one LLM row per folder, each fine-tuned with the paper's settings. Nothing is downloaded.",
    };

    /// <summary>
    /// The families of a comparison with the LLM replaced by one fine-tuning row per checkpoint folder; every problem
    /// (budget, family, folders) is listed in one error before any work.
    /// </summary>
    /// <exception cref="ArgumentException">The flag is misused or a folder is not a GPT-2 checkpoint.</exception>
    public static IReadOnlyList<GeneratorFamily> WithCheckpoints(IReadOnlyList<GeneratorFamily> families, string budget, string? checkpointList)
    {
        ArgumentNullException.ThrowIfNull(families);
        if (checkpointList is null)
        {
            return families;
        }

        var problems = new List<string>();
        if (!budget.Equals(GeneratorFamily.Paper, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"--llm-checkpoints fine-tunes with the paper's settings: use it with --budget paper (got {budget}; add --epochs N for a shorter run).");
        }

        int llmIndex = families.ToList().FindIndex(f => f is GeneratorFamily<LlmOptions>);
        if (llmIndex < 0)
        {
            problems.Add("--llm-checkpoints needs the llm family among --families.");
        }

        var folders = checkpointList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (folders.Length == 0)
        {
            problems.Add("--llm-checkpoints is empty.");
        }

        foreach (var folder in folders)
        {
            if (!File.Exists(Path.Combine(folder, "config.json")))
            {
                problems.Add($"--llm-checkpoints: '{TextSafety.Printable(folder, 200)}' is not a Hugging Face GPT-2 folder (no config.json).");
            }
        }

        var names = folders.Select(RowName).ToList();
        foreach (var duplicate in names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"--llm-checkpoints: two folders are named '{duplicate.Key}'; rows are named after their folder.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }

        var llm = (GeneratorFamily<LlmOptions>)families[llmIndex];
        var rows = folders.Select(f => FineTuning(llm, Path.GetFullPath(f))).ToList();
        return [.. families.Take(llmIndex), .. rows, .. families.Skip(llmIndex + 1)];
    }

    /// <summary>
    /// The size study of a comparison with checkpoint folders (the paper's Fig. 1 question with real GPT-2 sizes): each
    /// fine-tuning row is a point of one series; <see langword="null"/> without <c>--llm-checkpoints</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? CheckpointSeries(IReadOnlyList<GeneratorFamily> families, string budget, string? checkpointList)
    {
        ArgumentNullException.ThrowIfNull(families);
        return checkpointList is null
            ? null
            : families.OfType<GeneratorFamily<LlmOptions>>()
                .Where(f => f.CreatePreset(budget).PretrainedPath is not null)
                .ToDictionary(f => f.Name, _ => "pretrained GPT-2, fine-tuned");
    }

    /// <summary>The note printed before a paper-budget comparison whose LLM row has no pretrained checkpoint.</summary>
    public static string? PaperWithoutCheckpoints(IReadOnlyList<GeneratorFamily> families, string budget) =>
        budget.Equals(GeneratorFamily.Paper, StringComparison.OrdinalIgnoreCase)
        && families.OfType<GeneratorFamily<LlmOptions>>().Any(f => f.CreatePreset(GeneratorFamily.Paper).PretrainedPath is null)
            ? "note: the paper fine-tunes pretrained GPT-2 checkpoints (DistilGPT2, GPT2, GPT2-Medium, GPT2-Large). Without --llm-checkpoints the LLM row trains a DistilGPT2-shaped network from random weights at the paper's fine-tuning settings, which is not the paper's experiment (docs/models/llm.md)."
            : null;

    private static string RowName(string folder)
    {
        string leaf = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        var safe = new string([.. leaf.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return safe.Length > 0 ? safe : "checkpoint";
    }

    private static GeneratorFamily<LlmOptions> FineTuning(GeneratorFamily<LlmOptions> llm, string folder)
    {
        string name = RowName(folder);
        return new GeneratorFamily<LlmOptions>
        {
            Name = $"{llm.Name}-{name}",
            DisplayName = $"{llm.DisplayName} ({name})",
            Summary = $"{llm.Summary} Fine-tuned from {folder}.",
            PaperCpuHours = null,                  // depends on the checkpoint's size: no estimate
            InDefaultComparison = false,
            Privacy = llm.Privacy,
            Cohorts = llm.Cohorts,
            PresetFactories = llm.Presets.ToDictionary(p => p, p => (Func<int?, LlmOptions>)(seed =>
            {
                var options = llm.CreatePreset(p, seed);
                (options.PretrainedPath, options.Model, options.Tokenizer) = (folder, null, LlmTokenizer.Gpt2Bpe);
                return options;
            })),
            Creator = llm.Creator,
            Loader = llm.Loader,
            Describer = llm.Describer,
            EpochSetter = llm.EpochSetter,
        };
    }

    /// <summary>Applies the flags to <paramref name="options"/>; every misuse is listed in one error.</summary>
    /// <exception cref="ArgumentException">A flag does not apply to the family, the folder is missing, or the flags conflict.</exception>
    public static void Apply(GeneratorFamily family, EhrGeneratorOptions options, string? pretrained, string? modelPreset, string? tokenizer, string? longRecords = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        if (pretrained is null && modelPreset is null && tokenizer is null && longRecords is null)
        {
            return;
        }

        if (options is not LlmOptions llm)
        {
            throw new ArgumentException($"--pretrained, --model-preset, --tokenizer and --long-records apply to --family llm only (got {family.Name}).");
        }

        if (ParseLongRecords(longRecords) is { } policy)
        {
            llm.LongRecords = policy;
        }

        var problems = new List<string>();
        LlmTokenizer? chosen = tokenizer?.ToLowerInvariant() switch
        {
            null => null,
            "bpe" or "gpt2-bpe" => LlmTokenizer.Gpt2Bpe,
            "code" => LlmTokenizer.Code,
            _ => Problem<LlmTokenizer?>(problems, $"--tokenizer must be bpe or code (got '{TextSafety.Printable(tokenizer, 20)}')."),
        };

        if (pretrained is not null)
        {
            if (modelPreset is not null)
            {
                problems.Add("--pretrained and --model-preset cannot be combined: the checkpoint's config.json sets the size.");
            }

            if (chosen == LlmTokenizer.Code)
            {
                problems.Add("--pretrained needs --tokenizer bpe: a pretrained GPT-2 reads GPT-2 BPE tokens.");
            }

            if (!Directory.Exists(pretrained))
            {
                problems.Add($"--pretrained: the folder '{TextSafety.Printable(pretrained, 200)}' does not exist.");
            }
            else if (!File.Exists(Path.Combine(pretrained, "config.json")))
            {
                problems.Add($"--pretrained: '{TextSafety.Printable(pretrained, 200)}' has no config.json (a Hugging Face GPT-2 folder holds config.json, model.safetensors, vocab.json and merges.txt).");
            }
        }

        if (modelPreset is not null)
        {
            try
            {
                _ = Gpt2Config.Preset(modelPreset);
            }
            catch (ArgumentException e)
            {
                problems.Add($"--model-preset: {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }

        if (pretrained is not null)
        {
            llm.PretrainedPath = Path.GetFullPath(pretrained);
            llm.Model = null;
            llm.Tokenizer = LlmTokenizer.Gpt2Bpe;
        }

        if (modelPreset is not null)
        {
            llm.ModelPreset = modelPreset.Trim().ToLowerInvariant();
            llm.Model = null;
        }

        if (chosen is { } t)
        {
            llm.Tokenizer = t;
        }
    }

    private static T Problem<T>(List<string> problems, string message)
    {
        problems.Add(message);
        return default!;
    }
}
