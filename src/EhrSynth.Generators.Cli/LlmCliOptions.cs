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
        Description = "LLM only: the GPT-2 size trained from random weights: tiny, small, distilgpt2, gpt2, gpt2-medium or gpt2-large.",
    };

    public static Option<string?> Tokenizer() => new("--tokenizer")
    {
        Description = "LLM only: bpe (GPT-2's byte-level BPE over the paper's sentence) or code (one token per code; fast from scratch).",
    };

    /// <summary>Applies the flags to <paramref name="options"/>; every misuse is listed in one error.</summary>
    /// <exception cref="ArgumentException">A flag does not apply to the family, the folder is missing, or the flags conflict.</exception>
    public static void Apply(GeneratorFamily family, EhrGeneratorOptions options, string? pretrained, string? modelPreset, string? tokenizer)
    {
        ArgumentNullException.ThrowIfNull(family);
        if (pretrained is null && modelPreset is null && tokenizer is null)
        {
            return;
        }

        if (options is not LlmOptions llm)
        {
            throw new ArgumentException($"--pretrained, --model-preset and --tokenizer apply to --family llm only (got {family.Name}).");
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
