using System.CommandLine;
using EhrSynth.Generators.Diffusion;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Llm;
using EhrSynth.Generators.Llm.Text;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Cli;

/// <summary>
/// The studies of <c>compare --study</c>: each is a set of rows of one family that differ in one choice, trained and
/// evaluated like any comparison (every row beside the floor and the ceiling, over the given seeds).
/// </summary>
internal static class StudyCliOptions
{
    /// <summary>The GPT presets of <c>--study llm-size</c> when <c>--llm-sizes</c> is not given (the ones a 2-core CPU trains in minutes).</summary>
    public const string DefaultSizes = "mini,tiny,small";

    public static Option<string?> Study() => new("--study")
    {
        Description = "The LLM studies use the paper's sentence \"Patient ID X has Diagnostic Code(s) ...\" at every budget. "
                      + "decoding: the LLM with constrained and with unconstrained decoding (free sampling, invalid outputs redrawn, as the paper and GReaT do) at the same settings; "
                      + $"llm-size: GPT presets of increasing size trained from scratch for the budget's epochs, with the code-level and the GPT-2 BPE tokenizer (sizes: --llm-sizes, default {DefaultSizes}; tokenizers: --llm-tokenizers); "
                      + "ehrdiff-version: EHRDiff as sczzz3/EHRDiff v2 (the library's default) and as v1 (the code the paper most likely ran), at the same budget; "
                      + "binarization: the VAE, medGAN and CorGAN with their output thresholded at 0.5 (the references, and --budget paper) and drawn as Bernoulli samples (the quick and long default), each model trained once per row at the same seed; "
                      + "cohorts: the chosen families (--families, or the default comparison) each trained once per seed and asked for every cohort of --cohorts, judged against the holdout patients of the cohort beside the cohort floor (independent codes at the training cohort's prevalences) and the training cohort.",
    };

    public static Option<string?> Sizes() => new("--llm-sizes")
    {
        Description = "With --study llm-size: comma-separated GPT presets (mini, tiny, small, distilgpt2, gpt2, gpt2-medium, gpt2-large).",
    };

    public static Option<string?> Tokenizers() => new("--llm-tokenizers")
    {
        Description = "With --study llm-size: the tokenizers to train each size with, code and/or bpe (default both).",
    };

    /// <summary>The rows of a study; every misuse is listed in one error.</summary>
    /// <exception cref="ArgumentException">An unknown study, size or tokenizer, --families beside --study, or --llm-sizes or --llm-tokenizers without the size study.</exception>
    public static IReadOnlyList<GeneratorFamily>? Families(string? study, (string? Sizes, string? Tokenizers) size, string? familyList, GeneratorCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var problems = new List<string>();
        if (study is null)
        {
            AddSizeOptionProblems(size, problems);

            return problems.Count > 0 ? throw new ArgumentException(string.Join(Environment.NewLine, problems)) : null;
        }

        string name = study.Trim().ToLowerInvariant();
        if (name == CohortCliOptions.StudyName)
        {
            AddSizeOptionProblems(size, problems);
            return problems.Count > 0 ? throw new ArgumentException(string.Join(Environment.NewLine, problems)) : null;    // the chosen families, each asked for the cohorts
        }

        if (familyList is not null)
        {
            problems.Add("--study chooses the rows itself: leave out --families.");
        }

        if (name != "llm-size")
        {
            AddSizeOptionProblems(size, problems);
        }

        var llm = catalog.Find("llm");
        string[] presets = (size.Sizes ?? DefaultSizes).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        IReadOnlyList<GeneratorFamily> rows = name switch
        {
            "decoding" => Decoding(llm),
            "llm-size" => Sizes(llm, presets, SizeTokenizersFor(size.Tokenizers, problems), problems),
            "ehrdiff-version" => EhrDiffVersions(catalog.Find("ehrdiff")),
            "binarization" => Binarizations([catalog.Find("vae"), catalog.Find("medgan"), catalog.Find("corgan")]),
            _ => Problem(problems, $"--study must be decoding, llm-size, ehrdiff-version, binarization or cohorts (got '{TextSafety.Printable(study, 30)}')."),
        };

        return problems.Count > 0 ? throw new ArgumentException(string.Join(Environment.NewLine, problems)) : rows;
    }

    /// <summary>
    /// The LLM studies ask the paper's questions of the paper's sentence, "Patient ID X has Diagnostic Code(s) …", at
    /// every budget (the quick preset shortens it; docs/models/llm.md), so their published tables stay reproducible.
    /// </summary>
    private static LlmOptions WithPaperSentence(EhrGeneratorOptions o)
    {
        var options = (LlmOptions)o;
        options.Template = PatientSentenceCodec.DefaultTemplate;
        return options;
    }

    private static IReadOnlyList<GeneratorFamily> Decoding(GeneratorFamily llm)
    {
        return
        [
            llm.Variant("llm-constrained", $"{llm.DisplayName} (constrained)", o => WithPaperSentence(o).Constrained = true),
            llm.Variant("llm-unconstrained", $"{llm.DisplayName} (unconstrained)", o => WithPaperSentence(o).Constrained = false),
        ];
    }

    private static IReadOnlyList<GeneratorFamily> EhrDiffVersions(GeneratorFamily ehrDiff)
    {
        return
        [
            ehrDiff.Variant("ehrdiff-v2", $"{ehrDiff.DisplayName} (v2)", o => ((EhrDiffOptions)o).Version = EhrDiffVersion.V2),
            ehrDiff.Variant("ehrdiff-v1", $"{ehrDiff.DisplayName} (v1)", o => ((EhrDiffOptions)o).Version = EhrDiffVersion.V1),
        ];
    }

    private static IReadOnlyList<GeneratorFamily> Binarizations(GeneratorFamily[] families)
    {
        var rows = new List<GeneratorFamily>();
        foreach (var family in families)
        {
            rows.Add(family.Variant($"{family.Name}-threshold", $"{family.DisplayName} (0.5 threshold)", o =>
            {
                ((ProbabilisticGeneratorOptions)o).Binarization = BinarizationMode.Threshold;
                if (o is Gan.GanOptions gan)
                {
                    gan.CalibratePrevalence = false;        // calibrated probabilities are for Bernoulli draws (validation refuses both)
                }
            }));
            rows.Add(family.Variant($"{family.Name}-bernoulli", $"{family.DisplayName} (Bernoulli)", o => ((ProbabilisticGeneratorOptions)o).Binarization = BinarizationMode.Bernoulli));
        }

        return rows;
    }

    private static void AddSizeOptionProblems((string? Sizes, string? Tokenizers) size, List<string> problems)
    {
        if (size.Sizes is not null)
        {
            problems.Add("--llm-sizes needs --study llm-size.");
        }

        if (size.Tokenizers is not null)
        {
            problems.Add("--llm-tokenizers needs --study llm-size.");
        }
    }

    private static (LlmTokenizer Tokenizer, string Label)[] SizeTokenizersFor(string? list, List<string> problems)
    {
        if (list is null)
        {
            return SizeTokenizers;
        }

        var chosen = new List<(LlmTokenizer, string)>();
        foreach (string label in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(l => l.ToLowerInvariant()).Distinct())
        {
            if (SizeTokenizers.FirstOrDefault(t => t.Label == label) is { Label: not null } known)
            {
                chosen.Add(known);
            }
            else
            {
                problems.Add($"--llm-tokenizers takes code and/or bpe (got '{TextSafety.Printable(label, 30)}').");
            }
        }

        if (chosen.Count == 0 && problems.Count == 0)
        {
            problems.Add("--llm-tokenizers names no tokenizer.");
        }

        return [.. chosen];
    }

    private static IReadOnlyList<GeneratorFamily> Sizes(GeneratorFamily llm, string[] presets, (LlmTokenizer Tokenizer, string Label)[] tokenizers, List<string> problems)
    {
        var rows = new List<GeneratorFamily>();
        foreach (string preset in presets)
        {
            try
            {
                _ = Llm.Gpt2.Gpt2Config.Preset(preset);
            }
            catch (ArgumentException e)
            {
                problems.Add($"--llm-sizes: {e.Message}");
                continue;
            }

            foreach (var (tokenizer, label) in tokenizers)
            {
                string size = preset.ToLowerInvariant();
                rows.Add(llm.Variant($"{llm.Name}-{size}-{label}", $"{llm.DisplayName} ({size}, {label})", o =>
                {
                    var options = WithPaperSentence(o);
                    (options.ModelPreset, options.Model, options.PretrainedPath, options.Tokenizer) = (size, null, null, tokenizer);
                }));
            }
        }

        return rows;
    }

    /// <summary>The size study's tokenizers: each is a series of the study, with its row-name suffix and its legend.</summary>
    private static readonly (LlmTokenizer Tokenizer, string Label)[] SizeTokenizers = [(LlmTokenizer.Code, "code"), (LlmTokenizer.Gpt2Bpe, "bpe")];

    /// <summary>
    /// The series of each row of <c>--study llm-size</c> (row name → tokenizer), which makes the comparison write the
    /// size study's table and figure; <see langword="null"/> for the other studies.
    /// </summary>
    /// <exception cref="ArgumentException">A row is not one of the study's own (another option, such as --dp-epsilon, added it).</exception>
    public static IReadOnlyDictionary<string, string>? ScalingSeries(string? study, IReadOnlyList<GeneratorFamily> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (study?.Trim().ToLowerInvariant() != "llm-size")
        {
            return null;
        }

        var series = new Dictionary<string, string>();
        foreach (var row in rows)
        {
            var tokenizer = SizeTokenizers.FirstOrDefault(t => row.Name.EndsWith("-" + t.Label, StringComparison.Ordinal));
            if (tokenizer.Label is null)
            {
                throw new ArgumentException($"--study llm-size compares its own rows only; '{row.DisplayName}' comes from another option (--dp-epsilon or --llm-checkpoints cannot be combined with it).");
            }

            series[row.Name] = tokenizer.Tokenizer == LlmTokenizer.Code ? "code-level tokenizer" : "GPT-2 BPE";
        }

        return series;
    }

    private static IReadOnlyList<GeneratorFamily> Problem(List<string> problems, string message)
    {
        problems.Add(message);
        return [];
    }
}
