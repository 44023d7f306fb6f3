using EhrSynth.Generators.Families;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Llm.Text;

namespace EhrSynth.Generators.Llm;

/// <summary>
/// The studies the LLM takes part in (<see cref="GeneratorFamily.Studies"/>): constrained against unconstrained
/// decoding, and GPT sizes trained from scratch with each tokenizer. Both ask the paper's questions of the paper's
/// sentence, "Patient ID X has Diagnostic Code(s) …", at every budget (the quick preset shortens it; docs/models/llm.md),
/// so their published tables stay reproducible.
/// </summary>
public static class LlmStudies
{
    /// <summary>The GPT presets of the size study when <c>--llm-sizes</c> is not given (the ones a 2-core CPU trains in minutes).</summary>
    public const string DefaultSizes = "mini,tiny,small";

    /// <summary><c>--llm-sizes</c>.</summary>
    public const string SizesOption = "--llm-sizes";

    /// <summary><c>--llm-tokenizers</c>.</summary>
    public const string TokenizersOption = "--llm-tokenizers";

    /// <summary>The size study's tokenizers: each is a series of the study, with its row-name suffix and its legend.</summary>
    private static readonly (LlmTokenizer Tokenizer, string Label, string Series)[] SizeTokenizers =
        [(LlmTokenizer.Code, "code", "code-level tokenizer"), (LlmTokenizer.Gpt2Bpe, "bpe", "GPT-2 BPE")];

    /// <summary><c>decoding</c>: the LLM with constrained and with unconstrained decoding at the same settings.</summary>
    public static FamilyStudy Decoding { get; } = new()
    {
        Name = "decoding",
        Description = "the LLM with constrained and with unconstrained decoding (free sampling, invalid outputs redrawn, as the paper and GReaT do) at the same settings",
        Rows = (llm, _) =>
        [
            llm.Variant("llm-constrained", $"{llm.DisplayName} (constrained)", o => WithPaperSentence(o).Constrained = true),
            llm.Variant("llm-unconstrained", $"{llm.DisplayName} (unconstrained)", o => WithPaperSentence(o).Constrained = false),
        ],
    };

    /// <summary><c>llm-size</c>: GPT presets of increasing size trained from scratch, with each tokenizer.</summary>
    public static FamilyStudy Size { get; } = new()
    {
        Name = "llm-size",
        Description = $"GPT presets of increasing size trained from scratch for the budget's epochs, with the code-level and the GPT-2 BPE tokenizer (sizes: {SizesOption}, default {DefaultSizes}; tokenizers: {TokenizersOption})",
        Arguments =
        [
            new(SizesOption, "With --study llm-size: comma-separated GPT presets (mini, tiny, small, distilgpt2, gpt2, gpt2-medium, gpt2-large)."),
            new(TokenizersOption, "With --study llm-size: the tokenizers to train each size with, code and/or bpe (default both)."),
        ],
        Rows = SizeRows,
        Series = row => SizeTokenizers.FirstOrDefault(t => row.Name.EndsWith("-" + t.Label, StringComparison.Ordinal)).Series,
    };

    private static LlmOptions WithPaperSentence(Generation.EhrGeneratorOptions o)
    {
        var options = (LlmOptions)o;
        options.Template = PatientSentenceCodec.DefaultTemplate;
        return options;
    }

    private static List<GeneratorFamily> SizeRows(GeneratorFamily llm, IReadOnlyDictionary<string, string> arguments)
    {
        var problems = new List<string>();
        var tokenizers = SizeTokenizersFor(arguments.GetValueOrDefault(TokenizersOption), problems);
        var rows = new List<GeneratorFamily>();
        foreach (string preset in arguments.GetValueOrDefault(SizesOption, DefaultSizes).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                _ = Gpt2Config.Preset(preset);
            }
            catch (ArgumentException e)
            {
                problems.Add($"{SizesOption}: {e.Message}");
                continue;
            }

            string size = preset.ToLowerInvariant();
            foreach (var (tokenizer, label, _) in tokenizers)
            {
                rows.Add(llm.Variant($"{llm.Name}-{size}-{label}", $"{llm.DisplayName} ({size}, {label})", o =>
                {
                    var options = WithPaperSentence(o);
                    (options.ModelPreset, options.Model, options.PretrainedPath, options.Tokenizer) = (size, null, null, tokenizer);
                }));
            }
        }

        return problems.Count > 0 ? throw new ArgumentException(string.Join(Environment.NewLine, problems)) : rows;
    }

    private static (LlmTokenizer Tokenizer, string Label, string Series)[] SizeTokenizersFor(string? list, List<string> problems)
    {
        if (list is null)
        {
            return SizeTokenizers;
        }

        var chosen = new List<(LlmTokenizer, string, string)>();
        foreach (string label in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(l => l.ToLowerInvariant()).Distinct())
        {
            if (SizeTokenizers.FirstOrDefault(t => t.Label == label) is { Label: not null } known)
            {
                chosen.Add(known);
            }
            else
            {
                problems.Add($"{TokenizersOption} takes code and/or bpe (got '{TextSafety.Printable(label, 30)}').");
            }
        }

        if (chosen.Count == 0 && problems.Count == 0)
        {
            problems.Add($"{TokenizersOption} names no tokenizer.");
        }

        return [.. chosen];
    }
}
