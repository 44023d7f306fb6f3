using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Llm.Text;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Llm;

/// <summary>
/// Options of <see cref="LlmGenerator"/>. Defaults follow the paper and GReaT (kathrinse/be_great, which uses the Hugging
/// Face Trainer's defaults): DistilGPT2 with GPT-2 BPE, 200 epochs, batch 32, AdamW 5e-5 with linear decay and no warmup,
/// gradient clipping 1.0; sampling at temperature 0.7 with top-k 50.
/// </summary>
public sealed class LlmOptions : TorchGeneratorOptions
{
    /// <summary>GPT-2 preset when no <see cref="PretrainedPath"/> or <see cref="Model"/> is given: distilgpt2, gpt2, gpt2-medium, gpt2-large, small, tiny, mini. The default value is <c>distilgpt2</c>.</summary>
    [Required]
    public string ModelPreset { get; set; } = "distilgpt2";

    /// <summary>An explicit architecture (overrides <see cref="ModelPreset"/>). The default value is <see langword="null"/>.</summary>
    public Gpt2Config? Model { get; set; }

    /// <summary>
    /// A local Hugging Face GPT-2 checkpoint folder to fine-tune (<c>config.json</c> + <c>model.safetensors</c>, or a
    /// sharded index); its <c>vocab.json</c>/<c>merges.txt</c> are used when present. Nothing is downloaded. The default
    /// value is <see langword="null"/>: train from random initialisation.
    /// </summary>
    public string? PretrainedPath { get; set; }

    /// <summary>The tokenizer. The default value is <see cref="LlmTokenizer.Gpt2Bpe"/> (the paper).</summary>
    public LlmTokenizer Tokenizer { get; set; } = LlmTokenizer.Gpt2Bpe;

    /// <summary>
    /// The sentence template: words and an optional <c>{id}</c> to prompt with, then <c>{codes}</c>. The default value is
    /// the paper's: <c>Patient ID {id} has Diagnostic Code(s) {codes}</c>. The quick preset uses
    /// <see cref="PatientSentenceCodec.CodesOnlyTemplate"/> (a departure, named in its settings line).
    /// </summary>
    [Required]
    public string Template { get; set; } = PatientSentenceCodec.DefaultTemplate;

    /// <summary>Shuffle each record's code order every epoch (GReaT's feature-order permutation). The default value is <see langword="true"/>.</summary>
    public bool PermuteCodes { get; set; } = true;

    /// <summary>Training epochs. The default value is 200 (the paper).</summary>
    [Range(1, 1_000_000)]
    public int Epochs { get; set; } = 200;

    /// <summary>Sentences per micro-batch. The default value is 32 (GReaT's README).</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Micro-batches accumulated per optimizer step. The default value is 1.</summary>
    [Range(1, 10_000)]
    public int GradientAccumulationSteps { get; set; } = 1;

    /// <summary>Peak AdamW learning rate. The default value is 5e-5 (Hugging Face Trainer).</summary>
    [Range(1e-9, 10.0)]
    public double LearningRate { get; set; } = 5e-5;

    /// <summary>AdamW weight decay. The default value is 0 (Hugging Face Trainer).</summary>
    [Range(0.0, 10.0)]
    public double WeightDecay { get; set; }

    /// <summary>Share of steps with linear warmup before the linear decay to 0. The default value is 0 (Hugging Face Trainer).</summary>
    [Range(0.0, 1.0)]
    public double WarmupFraction { get; set; }

    /// <summary>Gradient-norm clip. The default value is 1.0 (Hugging Face Trainer).</summary>
    [Range(0.0, 1e6)]
    public double GradientClip { get; set; } = 1.0;

    /// <summary>
    /// Cohorts (<see cref="Generation.ICohortGenerator.GenerateCohort"/>):
    /// records drawn per record returned. The prompt lists the required codes, so a prompted record is a draw from the
    /// model's records that <em>start</em> with them — short records are over-represented by (k)ₘ for k codes and m
    /// required ones, and a ban on excluded codes shifts what the model would have written. The drawn records are
    /// weighted back to the model's cohort and resampled (sampling-importance-resampling). 1 returns the prompted
    /// records unweighted. The default value is 4.
    /// </summary>
    [Range(1, 1_000)]
    public int CohortOversampling { get; set; } = 4;

    /// <summary>Sampling temperature; 0 is greedy. The default value is 0.7 (GReaT).</summary>
    [Range(0.0, 100.0)]
    public double Temperature { get; set; } = 0.7;

    /// <summary>Top-k filter; 0 disables it. The default value is 50 (the transformers default GReaT inherits).</summary>
    [Range(0, 1_000_000)]
    public int TopK { get; set; } = 50;

    /// <summary>Top-p (nucleus) filter; 1 disables it. The default value is 1.</summary>
    [Range(1e-6, 1.0)]
    public double TopP { get; set; } = 1.0;

    /// <summary>New tokens per record at most (also capped by the model's positions). The default value is 256.</summary>
    [Range(2, 1_000_000)]
    public int MaxNewTokens { get; set; } = 256;

    /// <summary>
    /// Constrain decoding with a trie over the vocabulary codes, so every record parses into distinct valid codes and
    /// ends within the token budget. A departure from the paper and GReaT, which sample freely and discard what fails to
    /// parse (<see langword="false"/>: invalid records are redrawn, <see cref="MaxResampleRounds"/>); named in the settings
    /// line ("constrained decoding"), the paper preset included. The default value is <see langword="true"/>.
    /// </summary>
    public bool Constrained { get; set; } = true;

    /// <summary>Unconstrained mode: rounds of redrawing invalid records before keeping them empty. The default value is 10.</summary>
    [Range(0, 1_000)]
    public int MaxResampleRounds { get; set; } = 10;

    /// <summary>Sequences generated together. The default value is 256.</summary>
    [Range(1, 100_000)]
    public int GenerationBatchSize { get; set; } = 256;

    /// <summary>
    /// Whether a model trained from scratch from a <see cref="ModelPreset"/> grows its positions (<c>n_positions</c>) to
    /// fit the longest training sentence plus a quarter, rounded up to a multiple of 64, when the preset has too few
    /// (the tiny and small presets have 128; full MIMIC-III has patients with far longer sentences). The fit's notes
    /// and reports say when it happened. The default value is <see langword="true"/>; a preset with enough positions
    /// is used as it is.
    /// </summary>
    public bool FitPositionsToData { get; set; } = true;

    /// <summary>
    /// What to do with training patients longer than a fixed-size model's positions (a <see cref="PretrainedPath"/>
    /// checkpoint, an explicit <see cref="Model"/>, or a preset with <see cref="FitPositionsToData"/> off). The default
    /// value is <see cref="LlmLongRecords.Refuse"/>.
    /// </summary>
    public LlmLongRecords LongRecords { get; set; } = LlmLongRecords.Refuse;

    /// <summary>
    /// About 35 s of training and 11 s of sampling 14,304 records on UCI Diabetes with 2 CPU cores: the code-level
    /// tokenizer and the tiny GPT (2 layers, 128 wide), trained from scratch for one epoch on the paper's sentence without
    /// its "Patient ID X has" part (<see cref="PatientSentenceCodec.CodesOnlyTemplate"/>: half the tokens per patient, a
    /// departure named in the settings line), sampled at temperature 1 with no top-k (an under-trained model at GReaT's
    /// 0.7 and top-k 50 drops the rare codes: bigram R² −0.28). See docs/models/llm.md.
    /// </summary>
    public static LlmOptions Quick(int? seed = null) => new()
    {
        Seed = seed,
        Tokenizer = LlmTokenizer.Code,
        ModelPreset = "tiny",
        Epochs = 1,
        BatchSize = 256,
        LearningRate = 3e-3,
        WarmupFraction = 0.05,
        Temperature = 1.0,
        TopK = 0,
        Template = PatientSentenceCodec.CodesOnlyTemplate,
    };

    /// <summary>The quick model trained for 5 epochs on the paper's full sentence (about 4½ minutes on UCI Diabetes with 2 CPU cores).</summary>
    /// <param name="seed">The seed.</param>
    public static LlmOptions Long(int? seed = null)
    {
        var options = Quick(seed);
        options.Epochs = 5;
        options.Template = PatientSentenceCodec.DefaultTemplate;
        return options;
    }

    /// <summary>
    /// The paper's settings, which are the defaults: DistilGPT2 with GPT-2 BPE, 200 epochs, T = 0.7, top-k 50 — with one
    /// departure, named in the settings line: constrained decoding (<see cref="Constrained"/>), so that every record
    /// parses; set it to <see langword="false"/> to sample freely as the paper did (<c>--study decoding</c> compares the
    /// two). Without a PretrainedPath it trains from random weights; the paper fine-tuned pretrained checkpoints
    /// (docs/models/llm.md).
    /// </summary>
    /// <param name="seed">The seed.</param>
    public static LlmOptions Paper(int? seed = null) => new() { Seed = seed };

    /// <inheritdoc />
    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var r in base.Validate(validationContext))
        {
            yield return r;
        }

        if (PatientSentenceCodec.Problem(Template) is { } templateProblem)
        {
            yield return new ValidationResult($"Template: {templateProblem}.", [nameof(Template)]);
        }

        if (Model is null && PretrainedPath is null)
        {
            string? problem = null;
            try
            {
                Gpt2Config.Preset(ModelPreset ?? "");
            }
            catch (ArgumentException e)
            {
                problem = e.Message;
            }

            if (problem is not null)
            {
                yield return new ValidationResult(problem, [nameof(ModelPreset)]);
            }
        }

        if (Model?.Problems() is { Count: > 0 } modelProblems)
        {
            yield return new ValidationResult(string.Join("; ", modelProblems), [nameof(Model)]);
        }

        if (PretrainedPath is not null && Tokenizer != LlmTokenizer.Gpt2Bpe)
        {
            yield return new ValidationResult("A pretrained GPT-2 checkpoint needs Tokenizer = Gpt2Bpe.", [nameof(Tokenizer), nameof(PretrainedPath)]);
        }
    }
}
