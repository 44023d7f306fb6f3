using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Llm.Gpt2.Modules;
using EhrSynth.Generators.Llm.Sampling;
using EhrSynth.Generators.Llm.Text;
using EhrSynth.Generators.Llm.Tokenization;
using EhrSynth.Generators.Llm.Training;
using EhrSynth.Generators.Torch;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm;

/// <summary>
/// The paper's method: a GPT-2 language model trained (or fine-tuned from a local Hugging Face checkpoint) on one
/// sentence per patient — "Patient ID X has Diagnostic Code(s) D1, D2, …", codes shuffled every epoch — and sampled from
/// the prompt "Patient ID X has Diagnostic Code(s)" with ids the model never saw in training (<see cref="PatientIds"/>).
/// Training runs over
/// length-sorted chunks (<see cref="TokenChunker"/>); sampling is batched with a preallocated KV cache
/// (<see cref="TokenDecoder"/>) and, by default, constrained by a trie over the vocabulary codes so every record is
/// valid (<see cref="RecordSampler"/>).
/// </summary>
public sealed class LlmGenerator : TorchGeneratorBase<LlmOptions>
{
    /// <summary>The family name in saved manifests.</summary>
    public const string FamilyName = "LLM";

    /// <summary>The Hugging Face export inside a saved generator folder.</summary>
    public const string HuggingFaceFolder = "hf";

    private const string ConfigKey = "gpt2_config";
    private const string TrainingPatientsKey = "training_patients";

    private LlmParts? _parts;
    private Torch.Optimizers.AdamW? _optimizer;
    private Gpt2Config? _loadedConfig;
    private string? _loadedTokenizerFolder;
    private string? _loadedManifestPath;
    private int? _positions;
    private PatientIds _ids = new(0, 0);

    /// <summary>Creates an unfitted LLM generator.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid; every problem is listed.</exception>
    public LlmGenerator(LlmOptions? options = null, ILogger<LlmGenerator>? logger = null)
        : base(options ?? new LlmOptions(), logger)
    {
    }

    /// <summary>The family's description: names, presets (quick, long, paper), create, load and describe.</summary>
    public static GeneratorFamily<LlmOptions> Family { get; } = new()
    {
        Name = "llm",
        DisplayName = FamilyName,
        Summary = "The paper's method: a GPT-2 model trained or fine-tuned on one sentence per patient.",
        Privacy = DpSgdCapability.Create(),
        Cohorts = CohortMethod.Prompt,
        Studies = [LlmStudies.Decoding, LlmStudies.Size],
        CommandLine = LlmCommandLine.Capability,
        PresetFactories = new Dictionary<string, Func<int?, LlmOptions>>
        {
            [GeneratorFamily.Quick] = LlmOptions.Quick,
            [GeneratorFamily.Long] = LlmOptions.Long,
            [GeneratorFamily.Paper] = LlmOptions.Paper,
        },
        Creator = (o, log) => new LlmGenerator(o, log?.CreateLogger<LlmGenerator>()),
        Loader = (folder, vocabulary, device, log, ct) => Load(folder, vocabulary, device, log?.CreateLogger<LlmGenerator>(), ct),
        Describer = o => FormattableString.Invariant($"{(o.PretrainedPath is { } path ? $"GPT-2 checkpoint '{Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}'" : $"GPT-2 '{o.ModelPreset}'")} with the {(o.Tokenizer == LlmTokenizer.Code ? "code-level" : "GPT-2 BPE")} tokenizer, {(o.PretrainedPath is null ? "from scratch" : "fine-tuned")}, {o.Epochs} epoch(s), T = {o.Temperature}{(o.Constrained ? ", constrained decoding" : "")}{(o.Template == PatientSentenceCodec.DefaultTemplate ? "" : $", sentence \"{o.Template}\"")}"),
        EpochSetter = (o, e) => o.Epochs = e,
        PaperCpuHours = 200 * 57_214 * 20 / 200.0 / 3600,
    };

    /// <inheritdoc />
    public override string Name => FamilyName;

    /// <summary>The codec between records and sentences (after a fit or load).</summary>
    public PatientSentenceCodec Codec => Parts.Codec;

    /// <summary>The model's architecture (after a fit or load).</summary>
    public Gpt2Config ModelConfig => Parts.Model.Config;

    /// <summary>Called with every patient id put in a generation prompt (tests check that none was a training id).</summary>
    internal Action<long>? PromptObserver { get; set; }

    internal LlmParts Parts => _parts ?? throw new InvalidOperationException("The generator is not fitted.");

    internal Gpt2LmHeadNet Network => Parts.Model;

    internal IPatientTokenizer Tokenizer => Parts.Tokenizer;

    internal TokenChunker Chunker => new(Parts, _ids);

    internal PatientIds Ids => _ids;

    /// <summary>Loads a generator saved with <c>Save</c>.</summary>
    /// <param name="folder">The saved generator's folder.</param>
    /// <param name="expectedVocabulary">When given, the saved vocabulary must equal it.</param>
    /// <param name="device">Where to load it. The default value is <see cref="ComputeDevice.Auto"/>, whatever device it was trained on.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="cancellationToken">Cancels the load while it waits for another generator to leave libtorch's process-wide state.</param>
    /// <exception cref="InvalidDataException">The folder holds another model or does not match.</exception>
    public static LlmGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILogger<LlmGenerator>? logger = null, CancellationToken cancellationToken = default) =>
        LoadGenerator(folder, FamilyName, o => new LlmGenerator(o, logger), expectedVocabulary, device, cancellationToken);

    /// <summary>
    /// Cohort generation: <paramref name="count"/> patients who all have <paramref name="codes"/>, as
    /// <c>GenerateCohort(CohortCondition.Having(codes), count, seed)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A code is not in the vocabulary (named in the message).</exception>
    /// <exception cref="InvalidOperationException">The generator is not fitted.</exception>
    public EhrDataset GenerateCohort(IReadOnlyCollection<string> codes, int count, int? seed = null, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        return GenerateCohort(new CohortCondition([.. codes], []), count, seed, null, progress, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The prompt lists the required codes (the last without a separator, so a record may end right after them) and the
    /// model continues the list; constrained decoding never emits an excluded code (free decoding gives an excluded code
    /// weight 0). <see cref="LlmOptions.CohortOversampling"/> records are drawn per record returned and resampled by
    /// their importance weights against the model's own unconditional records (<see cref="RecordSampler.Sample"/>).
    /// </remarks>
    public override CohortMethod CohortMethod => CohortMethod.Prompt;

    /// <inheritdoc />
    protected override (EhrDataset Data, CohortReport Report) GenerateCohortCore(CohortCodes cohort, int count, int seed, CohortSamplingOptions sampling, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        int oversampling = Options.CohortOversampling;
        if (oversampling <= 1 && (Options.Constrained || cohort.Excluded.Count == 0))
        {
            var data = RunSampling(seed, rng => SampleRecords(count, rng, cohort.Required, cohort.Excluded, progress, cancellationToken), cancellationToken);
            return (data, new CohortReport(cohort.Text, CohortMethod.Prompt, count, count));
        }

        long draws = Math.Min(int.MaxValue, (long)count * Math.Max(1, oversampling));
        var weights = new double[draws];
        var drawn = RunSampling(seed, rng =>
        {
            var sampler = new RecordSampler(Parts, Options) { PromptObserver = PromptObserver };
            var (records, report) = sampler.Sample((int)draws, _ids, rng, cohort.Required, cohort.Excluded, progress, cancellationToken, weights);
            ReportGeneration(report);
            return records;
        }, cancellationToken);
        return ImportanceResampling.Resample(Name, cohort, drawn, weights, count, CohortSampler.BatchSeed(seed, -1));
    }

    /// <summary>
    /// Reads the saved architecture (checked against the limits of <see cref="Gpt2Config.Problems"/> before anything is
    /// built) and takes the BPE files from the saved folder's <c>hf</c> copy — never from the <c>PretrainedPath</c> the
    /// options name, which may point anywhere.
    /// </summary>
    protected override void BeforeLoad(string folder, GeneratorManifest manifest)
    {
        string manifestPath = Path.Combine(folder, GeneratorManifest.FileName);
        if (!manifest.State.TryGetValue(ConfigKey, out var saved))
        {
            throw new EhrDataFormatException($"the manifest has no {ConfigKey}", manifestPath);
        }

        Gpt2Config? config;
        try
        {
            config = saved.Deserialize<Gpt2Config>();
        }
        catch (JsonException e)
        {
            throw new EhrDataFormatException($"the saved {ConfigKey} is malformed ({e.Message})", manifestPath, innerException: e);
        }

        if (config is null || config.Problems() is { Count: > 0 })
        {
            throw new EhrDataFormatException($"the saved {ConfigKey} is invalid: {string.Join("; ", config?.Problems() ?? ["it is null"])}", manifestPath);
        }

        _loadedConfig = config;
        _loadedManifestPath = manifestPath;
        _ids = IdsFor(manifest.State.TryGetValue(TrainingPatientsKey, out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out int patients) && patients >= 0 ? patients : 0);
        string hf = Path.Combine(folder, HuggingFaceFolder);
        _loadedTokenizerFolder = File.Exists(Path.Combine(hf, "vocab.json")) && File.Exists(Path.Combine(hf, "merges.txt")) ? hf : null;
    }

    /// <summary>The model's parameters (GPT-2 has no buffers in its state): the saved configuration's when loading.</summary>
    protected override long? StateSize(int codeCount) => (_loadedConfig ?? _parts?.Model.Config)?.ParameterCount();

    /// <inheritdoc />
    protected override void BuildModel(int codeCount)
    {
        var o = Options;
        bool loading = _loadedConfig is not null;
        var (tokenizer, codec) = Text(ModelVocabulary, loading ? _loadedTokenizerFolder : o.PretrainedPath is { } p && Directory.Exists(p) ? p : null);
        var config = _loadedConfig ?? ResolveConfig(tokenizer);
        string? manifestPath = loading ? _loadedManifestPath : null;
        (_loadedConfig, _loadedTokenizerFolder, _loadedManifestPath) = (null, null, null);   // a later fit builds from the options again
        if (config.VocabSize < tokenizer.VocabSize)
        {
            string problem = $"the model's vocabulary ({config.VocabSize:N0} tokens) is smaller than its tokenizer's ({tokenizer.VocabSize:N0} tokens";
            throw manifestPath is not null
                ? new EhrDataFormatException(problem + $", {ModelVocabulary.Count:N0} codes); the saved codes and the saved model do not belong together", manifestPath)
                : o.PretrainedPath is { } pretrained
                    ? new EhrDataFormatException(problem + "); the checkpoint's vocab_size is too small for this tokenizer", Path.Combine(pretrained, "config.json"))
                    : new InvalidOperationException($"{Name}: {problem}).");
        }

        var model = new Gpt2LmHeadNet(config);
        model.InitializeWeights();
        model.to(Device);
        _optimizer = new Torch.Optimizers.AdamW(model.parameters(), o.LearningRate, weightDecay: o.WeightDecay);
        int[][] codeTokens = [.. ModelVocabulary.Select(tokenizer.Code)];
        _parts = new LlmParts(model, tokenizer, codec, ModelVocabulary, codeTokens, new CodeTrie(codeTokens), Device);
    }

    /// <inheritdoc />
    protected override void ReleaseModel()
    {
        _optimizer?.Dispose();
        _parts?.Model.Dispose();
        (_optimizer, _parts) = (null, null);
    }

    /// <summary>
    /// Sizes a from-scratch model's positions to the longest training sentence (<see cref="LlmOptions.FitPositionsToData"/>),
    /// or applies <see cref="LlmOptions.LongRecords"/> to the patients a fixed-size model cannot hold (<see cref="LongSentences"/>).
    /// </summary>
    protected override EhrDataset PrepareTrainingData(EhrDataset trainingData, int seed)
    {
        var o = Options;
        var (tokenizer, codec) = Text(trainingData.Vocabulary, o.PretrainedPath is { } p && Directory.Exists(p) ? p : null);
        int positions = o.PretrainedPath is { } folder ? Gpt2Checkpoint.ReadConfig(folder).Positions : (o.Model ?? Gpt2Config.Preset(o.ModelPreset)).Positions;
        var lengths = new LongSentences(tokenizer, codec, trainingData, IdsFor(trainingData.PatientCount));
        var (data, grown, note) = lengths.Fit(positions, o.PretrainedPath is null && o.Model is null && o.FitPositionsToData, o.LongRecords, o.ModelPreset, (int)(SeedScope.Derive(seed, 0x7C) & int.MaxValue), Name);
        _positions = grown;
        if (note is not null)
        {
            AddFitNote(note);
        }

        return data;
    }

    /// <inheritdoc />
    protected override void InitializeFromData(EhrDataset train)
    {
        _ids = IdsFor(train.PatientCount);
        if (Options.PretrainedPath is { } folder)
        {
            if (!Gpt2Checkpoint.IsCheckpoint(folder))
            {
                throw new DirectoryNotFoundException($"PretrainedPath '{folder}' is not a Hugging Face checkpoint folder (no config.json).");
            }

            Gpt2Checkpoint.LoadWeights(folder, Parts.Model);
        }

        // Every training sentence must fit the model's positions.
        var chunker = Chunker;
        int longest = 0, who = -1;
        for (int p = 0; p < train.PatientCount; p++)
        {
            int length = chunker.Sentence(p, train.GetCodes(p), null).Length;
            if (length > longest)
            {
                (longest, who) = (length, p);
            }
        }

        if (longest > Parts.Model.Config.Positions)
        {
            throw new ArgumentException($"{Name}: patient '{train.GetPatientId(who)}' needs {longest} tokens, more than the model's {Parts.Model.Config.Positions} positions.");
        }
    }

    /// <inheritdoc />
    protected override void OnPhaseStart(TrainingPhase phase, EhrDataset data) => _ids = IdsFor(data.PatientCount);

    /// <inheritdoc />
    protected override IReadOnlyList<TrainingPhase> Phases(int trainingPatients)
    {
        int perStep = Options.BatchSize * Options.GradientAccumulationSteps;
        return [new TrainingPhase(TrainingPhaseName.Train, Options.Epochs, Options.BatchSize, TrainStep, StepsPerEpoch: Math.Max(1, (trainingPatients + perStep - 1) / perStep))];
    }

    /// <summary>
    /// The seed of a step's chunk order: a fixed mix of the run's seed and the step, the same in every process
    /// (<see cref="HashCode"/> is randomised per process, which made training differ between runs).
    /// </summary>
    internal static int ChunkOrderSeed(long runSeed, long step) => (int)(SeedScope.Derive(0, runSeed, step) & int.MaxValue);

    /// <inheritdoc />
    protected override double ValidationLoss(EhrDataset validation, Generator rng)
    {
        var model = Parts.Model;
        model.eval();
        var chunker = Chunker;
        long tokens = 0;
        double total = SumInScopes(PatientBatches(validation, Options.BatchSize).SelectMany(patients => chunker.Chunks(validation, patients, null)), chunk =>
        {
            var (inputs, targets) = chunk.ToTensors(Device);                                                                 // [b, L] each
            var logits = model.call(inputs);                                                                                 // [b, L, V]
            tokens += chunk.Tokens;
            return nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index: -100, reduction: nn.Reduction.Sum).item<float>();
        });
        return total / Math.Max(1, tokens);
    }

    /// <inheritdoc />
    protected override EhrDataset Sample(int count, Generator rng, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        SampleRecords(count, rng, [], [], progress, cancellationToken);

    /// <inheritdoc />
    protected override void SaveState(Dictionary<string, JsonElement> state)
    {
        state[ConfigKey] = JsonSerializer.SerializeToElement(Parts.Model.Config);
        state["tokenizer"] = JsonSerializer.SerializeToElement(Parts.Tokenizer.Kind);
        state[TrainingPatientsKey] = JsonSerializer.SerializeToElement(_ids.TrainingPatients);
    }

    /// <inheritdoc />
    protected override void SaveCore(string folder, Dictionary<string, JsonElement> state)
    {
        base.SaveCore(folder, state);
        string hf = Path.Combine(folder, HuggingFaceFolder);
        Gpt2Checkpoint.Save(hf, Parts.Model);
        if (Options.PretrainedPath is { } source)
        {
            foreach (var file in new[] { "vocab.json", "merges.txt" })
            {
                if (File.Exists(Path.Combine(source, file)))
                {
                    File.Copy(Path.Combine(source, file), Path.Combine(hf, file), overwrite: true);
                }
            }
        }
        else if (Parts.Tokenizer is CodeTokenizer code)
        {
            code.Save(Path.Combine(hf, "ehrsynth-code-tokenizer.json"));
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<(string Name, nn.Module Module)> Modules() => [("model", Parts.Model)];

    /// <inheritdoc />
    protected override IEnumerable<(string Name, OptimizerHelper Optimizer)> Optimizers() => [("adamw", _optimizer!)];

    /// <summary>Generates tokens after prompts of one length (see <see cref="TokenDecoder.Decode"/>), for tests.</summary>
    internal (List<int>[] Tokens, bool[] Ended) GenerateTokens(int[][] prompts, Generator rng, ConstrainedDecoder? decoder, bool useCache, double temperature, CancellationToken cancellationToken) =>
        TokenDecoder.Decode(Parts, prompts, rng, decoder, DecodingSettings.From(Options, useCache) with { Temperature = temperature }, cancellationToken);

    /// <summary>
    /// Samples one batch of <paramref name="sequences"/> records from the same fresh prompt and returns how many tokens
    /// were generated (for benchmarks: constrained against unconstrained decoding on one model).
    /// </summary>
    internal long SampleBatchTokens(int sequences, bool constrained, int seed) => SampleBatch(sequences, constrained, seed, compact: true).Tokens;

    /// <summary>
    /// One decoding batch of <paramref name="sequences"/> records after the same prompt: the tokens generated and the
    /// decoding steps taken (benchmarks; without <paramref name="compact"/> every step runs at the full batch size).
    /// </summary>
    internal (long Tokens, int Steps) SampleBatch(int sequences, bool constrained, int seed, bool compact)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var rng = new Generator((ulong)seed, Device);
        var prompt = Parts.Prompt(_ids.ForSample(0), []);
        var decoder = constrained ? new ConstrainedDecoder(Parts.Trie, Parts.Tokenizer.SeparatorToken, Parts.Tokenizer.EosToken, sequences, ModelVocabulary.Count) : null;
        var settings = DecodingSettings.From(Options) with { Compact = compact };
        var (tokens, ended) = TokenDecoder.Decode(Parts, [.. Enumerable.Repeat(prompt, sequences)], rng, decoder, settings, CancellationToken.None);
        int maxNew = Math.Min(settings.MaxNewTokens, Parts.Model.Config.Positions - prompt.Length);
        int steps = Math.Min(maxNew, tokens.Select((t, i) => t.Count + (ended[i] ? 1 : 0)).Max());
        return (tokens.Sum(t => (long)t.Count), steps);
    }

    /// <summary>
    /// DP-SGD trains the whole network on one patient's sentence (mean cross-entropy over its tokens). Gradient
    /// accumulation and the global gradient-norm clip do not apply: DP-SGD's Poisson batch has expected size
    /// <see cref="LlmOptions.BatchSize"/> and every patient's gradient is clipped on its own. The batch runs as one padded
    /// forward pass whose per-patient gradient norms come from <see cref="TransformerGhostNorms"/> (ghost clipping, no
    /// per-patient gradients materialised); the one-patient loss stays the reference it is tested against.
    /// </summary>
    protected override PrivateObjective CreatePrivateObjective() => new(
        (data, patient, rng) =>
        {
            var model = Parts.Model;
            model.train();
            var order = Options.PermuteCodes ? new Random(ChunkOrderSeed(rng.initial_seed(), patient)) : null;
            var (inputs, targets) = Chunker.Chunks(data, [patient], order).Single().ToTensors(Device);   // [1, L] each
            var logits = model.call(inputs);                                                                // [1, L, V]
            return nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index: -100); // []
        },
        [.. Parts.Model.parameters()],
        step =>
        {
            long warmup = (long)Math.Round(Options.WarmupFraction * step.TotalSteps);
            LearningRateSchedule.Apply(_optimizer!, LearningRateSchedule.WarmupLinear(step.Step, step.TotalSteps, warmup, Options.LearningRate));
            _optimizer!.Step();
        })
    {
        // The batch in length-sorted padded chunks (as ordinary training cuts it), each patient's sentence ordered as the
        // one-patient loss orders it; per-patient norms by ghost clipping for transformers (TransformerGhostNorms).
        GhostNorms = (data, batch, rng) =>
        {
            if (!TransformerGhostNorms.Covers(Parts.Model))
            {
                return null;
            }

            long seed = rng.initial_seed();
            return GhostNormChunks(Chunker.ChunksInOwnOrder(data, batch, p => Options.PermuteCodes ? new Random(ChunkOrderSeed(seed, p)) : null));
        },
    };

    private IEnumerable<(Tensor Losses, Tensor SquaredNorms)> GhostNormChunks(List<TokenChunk> chunks)
    {
        var model = Parts.Model;
        model.train();
        foreach (var chunk in chunks)
        {
            var (inputs, targets) = chunk.ToTensors(Device);                                                  // [b, L] each
            yield return TransformerGhostNorms.Compute(model, inputs, targets)
                ?? throw new InvalidOperationException("A GPT-2 module ran twice or not at all in one forward pass.");
        }
    }

    private StepResult TrainStep(StepContext step)
    {
        long warmup = (long)Math.Round(Options.WarmupFraction * step.TotalSteps);
        double lr = LearningRateSchedule.WarmupLinear(step.Step, step.TotalSteps, warmup, Options.LearningRate);
        LearningRateSchedule.Apply(_optimizer!, lr);
        var model = Parts.Model;
        var chunker = Chunker;
        model.train();
        _optimizer!.zero_grad();
        var order = new Random(ChunkOrderSeed(step.Rng.initial_seed(), step.Step));
        double loss = 0;
        long tokens = 0;
        for (int micro = 0; micro < Options.GradientAccumulationSteps; micro++)
        {
            // The micro-batch's loss is the mean over its tokens, as with one padded batch; it is computed over
            // length-sorted chunks so that short records are not padded to the longest one (same gradient, less work).
            var chunks = chunker.Chunks(step.Data, step.NextBatch(), Options.PermuteCodes ? order : null);
            long count = chunks.Sum(c => c.Tokens);
            using var share = (1.0 / (count * Options.GradientAccumulationSteps)).ToScalar();
            foreach (var chunk in chunks)
            {
                using var scope = NewDisposeScope();
                var (inputs, targets) = chunk.ToTensors(Device);                                                             // [b, L] each
                var logits = model.call(inputs);                                                                             // [b, L, V]
                var sum = nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index: -100, reduction: nn.Reduction.Sum);
                sum.mul(share).backward();
                loss += sum.item<float>() / count / Options.GradientAccumulationSteps;
            }

            tokens += count;
        }

        if (Options.GradientClip > 0)
        {
            nn.utils.clip_grad_norm_(model.parameters(), Options.GradientClip);
        }

        _optimizer.Step();
        return new StepResult(new Dictionary<string, double> { ["loss"] = loss }, tokens, TrainingUnit.Tokens)
        {
            Diagnostics = new Dictionary<string, double> { ["lr"] = lr },
        };
    }

    private EhrDataset SampleRecords(int count, Generator rng, IReadOnlyList<int> required, IReadOnlyList<int> excluded, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var sampler = new RecordSampler(Parts, Options) { PromptObserver = PromptObserver };
        var (data, report) = sampler.Sample(count, _ids, rng, required, excluded, progress, cancellationToken);
        ReportGeneration(report);
        return data;
    }

    /// <summary>The patient ids of a model trained on <paramref name="trainingPatients"/> patients (a fixed permutation per count).</summary>
    private static PatientIds IdsFor(int trainingPatients) => new(trainingPatients, (int)(SeedScope.Derive(trainingPatients, 0x1D) & int.MaxValue));

    private Gpt2Config ResolveConfig(IPatientTokenizer tokenizer)
    {
        var o = Options;
        if (o.PretrainedPath is { } folder)
        {
            return Gpt2Checkpoint.ReadConfig(folder);
        }

        var config = o.Model ?? Gpt2Config.Preset(o.ModelPreset);
        if (_positions is { } positions)
        {
            config = config with { Positions = positions };
        }

        return o.Tokenizer == LlmTokenizer.Code ? config with { VocabSize = tokenizer.VocabSize, BosTokenId = null, EosTokenId = tokenizer.EosToken } : config;
    }

    /// <summary>The tokenizer and sentence codec of the options for <paramref name="vocabulary"/> (GPT-2 BPE from <paramref name="bpeFolder"/>, or the embedded encoding).</summary>
    private (IPatientTokenizer Tokenizer, PatientSentenceCodec Codec) Text(CodeVocabulary vocabulary, string? bpeFolder)
    {
        var o = Options;
        IPatientTokenizer tokenizer = o.Tokenizer == LlmTokenizer.Code ? CodeTokenizer.For(o.Template, vocabulary) : Gpt2BpeTokenizer.ForFolder(bpeFolder);
        return (tokenizer, new PatientSentenceCodec(vocabulary, o.Template));
    }
}
