using EhrSynth.Generators.Families;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Llm.Gpt2;

namespace EhrSynth.Generators.Llm;

/// <summary>
/// The LLM family's command-line options (<see cref="GeneratorFamily.CommandLine"/>): a local Hugging Face GPT-2 folder
/// to fine-tune (the paper's setup; nothing is downloaded), a GPT-2 size to train from scratch, the tokenizer and the
/// long-record policy for <c>train</c>; checkpoint folders (one fine-tuning row each) and the long-record policy for
/// <c>compare</c>.
/// </summary>
public static class LlmCommandLine
{
    /// <summary><c>--pretrained</c>.</summary>
    public const string Pretrained = "--pretrained";

    /// <summary><c>--model-preset</c>.</summary>
    public const string ModelPreset = "--model-preset";

    /// <summary><c>--tokenizer</c>.</summary>
    public const string Tokenizer = "--tokenizer";

    /// <summary><c>--long-records</c>.</summary>
    public const string LongRecords = "--long-records";

    /// <summary><c>--llm-checkpoints</c>.</summary>
    public const string Checkpoints = "--llm-checkpoints";

    private static readonly FamilyOption LongRecordsOption = new(LongRecords, "LLM only: patients whose sentence is longer than a pretrained model's positions: refuse (the default; says how many and the longest), drop or truncate (a random subset of their codes that fits). Counted in the output. Models trained from scratch grow their positions instead.");

    /// <summary>The capability the LLM's family description declares.</summary>
    public static FamilyCommandLine Capability { get; } = new()
    {
        TrainOptions =
        [
            new(Pretrained, "LLM only: a local Hugging Face GPT-2 folder (config.json, model.safetensors, vocab.json, merges.txt) to fine-tune, as the paper does. Implies --tokenizer bpe. Nothing is downloaded."),
            new(ModelPreset, "LLM only: the GPT-2 size trained from random weights: mini, tiny, small, distilgpt2, gpt2, gpt2-medium or gpt2-large."),
            new(Tokenizer, "LLM only: bpe (GPT-2's byte-level BPE over the paper's sentence) or code (one token per code; fast from scratch)."),
            LongRecordsOption,
        ],
        Apply = (options, values) => Apply((LlmOptions)options, values),
        CompareOptions =
        [
            new(Checkpoints, "LLM only, with --budget paper: comma-separated local Hugging Face GPT-2 folders (e.g. distilgpt2,gpt2,gpt2-medium,gpt2-large); one LLM row per folder, each fine-tuned with the paper's settings. Nothing is downloaded."),
            LongRecordsOption,
        ],
        Rows = Rows,
    };

    /// <summary>The <c>--long-records</c> policy.</summary>
    /// <exception cref="ArgumentException">The value is not refuse, drop or truncate.</exception>
    public static LlmLongRecords ParseLongRecords(string text) => text.Trim().ToLowerInvariant() switch
    {
        "refuse" => LlmLongRecords.Refuse,
        "drop" => LlmLongRecords.Drop,
        "truncate" => LlmLongRecords.Truncate,
        _ => throw new ArgumentException($"{LongRecords} must be refuse, drop or truncate (got '{TextSafety.Printable(text, 20)}')."),
    };

    private static void Apply(LlmOptions llm, IReadOnlyDictionary<string, string> values)
    {
        string? pretrained = values.GetValueOrDefault(Pretrained);
        string? modelPreset = values.GetValueOrDefault(ModelPreset);
        string? tokenizer = values.GetValueOrDefault(Tokenizer);
        var problems = new List<string>();
        LlmLongRecords? policy = null;
        if (values.TryGetValue(LongRecords, out string? longRecords))
        {
            try
            {
                policy = ParseLongRecords(longRecords);
            }
            catch (ArgumentException e)
            {
                problems.Add(e.Message);
            }
        }

        LlmTokenizer? chosen = tokenizer?.ToLowerInvariant() switch
        {
            null => null,
            "bpe" or "gpt2-bpe" => LlmTokenizer.Gpt2Bpe,
            "code" => LlmTokenizer.Code,
            _ => Problem<LlmTokenizer?>(problems, $"{Tokenizer} must be bpe or code (got '{TextSafety.Printable(tokenizer, 20)}')."),
        };

        if (pretrained is not null)
        {
            if (modelPreset is not null)
            {
                problems.Add($"{Pretrained} and {ModelPreset} cannot be combined: the checkpoint's config.json sets the size.");
            }

            if (chosen == LlmTokenizer.Code)
            {
                problems.Add($"{Pretrained} needs {Tokenizer} bpe: a pretrained GPT-2 reads GPT-2 BPE tokens.");
            }

            if (!Directory.Exists(pretrained))
            {
                problems.Add($"{Pretrained}: the folder '{TextSafety.Printable(pretrained, 200)}' does not exist.");
            }
            else if (!File.Exists(Path.Combine(pretrained, "config.json")))
            {
                problems.Add($"{Pretrained}: '{TextSafety.Printable(pretrained, 200)}' has no config.json (a Hugging Face GPT-2 folder holds config.json, model.safetensors, vocab.json and merges.txt).");
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
                problems.Add($"{ModelPreset}: {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }

        if (policy is { } p)
        {
            llm.LongRecords = p;
        }

        if (pretrained is not null)
        {
            (llm.PretrainedPath, llm.Model, llm.Tokenizer) = (Path.GetFullPath(pretrained), null, LlmTokenizer.Gpt2Bpe);
        }

        if (modelPreset is not null)
        {
            (llm.ModelPreset, llm.Model) = (modelPreset.Trim().ToLowerInvariant(), null);
        }

        if (chosen is { } t)
        {
            llm.Tokenizer = t;
        }
    }

    /// <summary>
    /// The LLM row of a comparison: one fine-tuning row per checkpoint folder (with <c>--budget paper</c>; the size study's
    /// series), every row given the long-record policy, and a note when the paper budget has no pretrained checkpoint.
    /// </summary>
    private static FamilyRows Rows(GeneratorFamily family, string budget, IReadOnlyDictionary<string, string> values)
    {
        var llm = (GeneratorFamily<LlmOptions>)family;
        var policy = values.TryGetValue(LongRecords, out string? text) ? ParseLongRecords(text) : (LlmLongRecords?)null;
        IReadOnlyList<GeneratorFamily<LlmOptions>> rows = values.TryGetValue(Checkpoints, out string? list) ? FineTuningRows(llm, budget, list) : [llm];
        if (policy is { } p)
        {
            rows = [.. rows.Select(r => (GeneratorFamily<LlmOptions>)r.Variant(r.Name, r.DisplayName, o => ((LlmOptions)o).LongRecords = p))];
        }

        bool paper = budget.Equals(GeneratorFamily.Paper, StringComparison.OrdinalIgnoreCase);
        string? note = paper && rows.Any(r => r.CreatePreset(GeneratorFamily.Paper).PretrainedPath is null)
            ? "note: the paper fine-tunes pretrained GPT-2 checkpoints (DistilGPT2, GPT2, GPT2-Medium, GPT2-Large). Without --llm-checkpoints the LLM row trains a DistilGPT2-shaped network from random weights at the paper's fine-tuning settings, which is not the paper's experiment (docs/models/llm.md)."
            : null;
        var series = list is null ? null : rows.ToDictionary(r => r.Name, _ => "pretrained GPT-2, fine-tuned");
        return new FamilyRows(rows, series, note);
    }

    private static List<GeneratorFamily<LlmOptions>> FineTuningRows(GeneratorFamily<LlmOptions> llm, string budget, string list)
    {
        var problems = new List<string>();
        if (!budget.Equals(GeneratorFamily.Paper, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{Checkpoints} fine-tunes with the paper's settings: use it with --budget paper (got {budget}; add --epochs N for a shorter run).");
        }

        var folders = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (folders.Length == 0)
        {
            problems.Add($"{Checkpoints} is empty.");
        }

        foreach (var folder in folders.Where(f => !File.Exists(Path.Combine(f, "config.json"))))
        {
            problems.Add($"{Checkpoints}: '{TextSafety.Printable(folder, 200)}' is not a Hugging Face GPT-2 folder (no config.json).");
        }

        foreach (var duplicate in folders.Select(RowName).GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"{Checkpoints}: two folders are named '{duplicate.Key}'; rows are named after their folder.");
        }

        return problems.Count > 0
            ? throw new ArgumentException(string.Join(Environment.NewLine, problems))
            : [.. folders.Select(f => FineTuning(llm, Path.GetFullPath(f)))];
    }

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

    private static T Problem<T>(List<string> problems, string message)
    {
        problems.Add(message);
        return default!;
    }
}
