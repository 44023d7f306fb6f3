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
using EhrSynth.Generators.Torch;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm;

/// <summary>
/// The paper's method: a GPT-2 language model trained (or fine-tuned from a local Hugging Face checkpoint) on one
/// sentence per patient — "Patient ID X has Diagnostic Code(s) D1, D2, …", codes shuffled every epoch — and sampled from
/// the prompt "Patient ID X has Diagnostic Code(s)". Sampling is batched with a preallocated KV cache; by default a trie
/// over the vocabulary codes constrains decoding so every record is valid and every sequence ends. Records are decoded
/// back with <see cref="PatientSentenceCodec"/>.
/// </summary>
public sealed class LlmGenerator : TorchGeneratorBase<LlmOptions>
{
    /// <summary>The family name in saved manifests.</summary>
    public const string FamilyName = "LLM";

    /// <summary>The Hugging Face export inside a saved generator folder.</summary>
    public const string HuggingFaceFolder = "hf";

    private Gpt2LmHeadNet? _model;
    private AdamW? _optimizer;
    private IPatientTokenizer? _tokenizer;
    private PatientSentenceCodec? _codec;
    private CodeTrie? _trie;
    private int[][] _codeTokens = [];
    private Gpt2Config? _loadedConfig;
    private string? _loadedTokenizerFolder;

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
        PresetFactories = new Dictionary<string, Func<int?, LlmOptions>>
        {
            [GeneratorFamily.Quick] = LlmOptions.Quick,
            [GeneratorFamily.Long] = LlmOptions.Long,
            [GeneratorFamily.Paper] = LlmOptions.Paper,
        },
        Creator = (o, log) => new LlmGenerator(o, log?.CreateLogger<LlmGenerator>()),
        Loader = (folder, vocabulary, device, log) => Load(folder, vocabulary, device, log?.CreateLogger<LlmGenerator>()),
        Describer = o => FormattableString.Invariant($"GPT-2 '{o.ModelPreset}' with the {(o.Tokenizer == LlmTokenizer.Code ? "code-level" : "GPT-2 BPE")} tokenizer, {(o.PretrainedPath is null ? "from scratch" : "fine-tuned")}, {o.Epochs} epoch(s), T = {o.Temperature}"),
        EpochSetter = (o, e) => o.Epochs = e,
        PaperCpuHours = 200 * 57_214 * 20 / 200.0 / 3600,
    };

    /// <inheritdoc />
    public override string Name => FamilyName;

    /// <summary>Loads a generator saved with <c>Save</c>.</summary>
    /// <exception cref="InvalidDataException">The folder holds another model or does not match.</exception>
    public static LlmGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILogger<LlmGenerator>? logger = null) =>
        LoadGenerator(folder, FamilyName, o => new LlmGenerator(o, logger), expectedVocabulary, device);

    /// <summary>The codec between records and sentences (after a fit or load).</summary>
    public PatientSentenceCodec Codec => _codec ?? throw new InvalidOperationException("The generator is not fitted.");

    /// <summary>The model's architecture (after a fit or load).</summary>
    public Gpt2Config ModelConfig => _model?.Config ?? throw new InvalidOperationException("The generator is not fitted.");

    internal Gpt2LmHeadNet Network => _model!;

    internal IPatientTokenizer Tokenizer => _tokenizer!;

    /// <summary>
    /// Cohort generation: <paramref name="count"/> patients who all have <paramref name="codes"/> — the prompt already
    /// lists them and the model continues the list.
    /// </summary>
    /// <exception cref="ArgumentException">A code is not in the vocabulary (named in the message).</exception>
    /// <exception cref="InvalidOperationException">The generator is not fitted.</exception>
    public EhrDataset GenerateCohort(IReadOnlyCollection<string> codes, int count, int? seed = null, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var vocabulary = Vocabulary ?? throw new InvalidOperationException($"{Name}: the generator is not fitted; call FitAsync or Load first.");
        var required = new List<int>();
        foreach (var code in codes)
        {
            if (!vocabulary.TryGetIndex(code, out int c))
            {
                throw new ArgumentException($"Code '{code}' is not in the vocabulary.", nameof(codes));
            }

            if (!required.Contains(c))
            {
                required.Add(c);
            }
        }

        using var rng = new Generator((ulong)ResolveSeed(seed), Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return SampleRecords(count, rng, required, progress, cancellationToken);
    }

    /// <summary>
    /// Reads the saved architecture (checked against the limits of <see cref="Gpt2Config.Problems"/> before anything is
    /// built) and takes the BPE files from the saved folder's <c>hf</c> copy — never from the <c>PretrainedPath</c> the
    /// options name, which may point anywhere.
    /// </summary>
    internal override void BeforeLoad(string folder, GeneratorManifest manifest)
    {
        string manifestPath = Path.Combine(folder, GeneratorManifest.FileName);
        if (!manifest.State.TryGetValue("gpt2_config", out var saved))
        {
            throw new EhrDataFormatException("the manifest has no gpt2_config", manifestPath);
        }

        Gpt2Config? config;
        try
        {
            config = saved.Deserialize<Gpt2Config>();
        }
        catch (JsonException e)
        {
            throw new EhrDataFormatException($"the saved gpt2_config is malformed ({e.Message})", manifestPath, innerException: e);
        }

        if (config is null || config.Problems() is { Count: > 0 })
        {
            throw new EhrDataFormatException($"the saved gpt2_config is invalid: {string.Join("; ", config?.Problems() ?? ["it is null"])}", manifestPath);
        }

        _loadedConfig = config;
        string hf = Path.Combine(folder, HuggingFaceFolder);
        _loadedTokenizerFolder = File.Exists(Path.Combine(hf, "vocab.json")) && File.Exists(Path.Combine(hf, "merges.txt")) ? hf : null;
    }

    /// <summary>The model's parameters (GPT-2 has no buffers in its state): the saved configuration's when loading.</summary>
    internal override long? StateSize(int codeCount) => (_loadedConfig ?? _model?.Config)?.ParameterCount();

    internal override void BuildModel(int codeCount)
    {
        var o = Options;
        bool loading = _loadedConfig is not null;
        _codec = new PatientSentenceCodec(ModelVocabulary, o.Template);
        _tokenizer = o.Tokenizer == LlmTokenizer.Code
            ? CodeTokenizer.For(o.Template, ModelVocabulary)
            : Gpt2BpeTokenizer.ForFolder(loading ? _loadedTokenizerFolder : o.PretrainedPath is { } p && Directory.Exists(p) ? p : null);
        var config = _loadedConfig ?? ResolveConfig();
        (_loadedConfig, _loadedTokenizerFolder) = (null, null);           // a later fit builds from the options again
        if (config.VocabSize < _tokenizer.VocabSize)
        {
            throw new InvalidOperationException($"The model's vocabulary ({config.VocabSize}) is smaller than the tokenizer's ({_tokenizer.VocabSize}).");
        }

        _model = new Gpt2LmHeadNet(config);
        _model.InitializeWeights();
        _model.to(Device);
        _optimizer = optim.AdamW(_model.parameters(), o.LearningRate, weight_decay: o.WeightDecay);
        _codeTokens = ModelVocabulary.Select(_tokenizer.Code).ToArray();
        _trie = new CodeTrie(_codeTokens);
    }

    internal override void ReleaseModel()
    {
        _optimizer?.Dispose();
        _model?.Dispose();
        (_optimizer, _model) = (null, null);
    }

    internal override void InitializeFromData(EhrDataset train)
    {
        if (Options.PretrainedPath is { } folder)
        {
            if (!Gpt2Checkpoint.IsCheckpoint(folder))
            {
                throw new DirectoryNotFoundException($"PretrainedPath '{folder}' is not a Hugging Face checkpoint folder (no config.json).");
            }

            Gpt2Checkpoint.LoadWeights(folder, _model!);
        }

        // Every training sentence must fit the model's positions.
        int longest = 0, who = -1;
        for (int p = 0; p < train.PatientCount; p++)
        {
            int length = Sentence(p, train.GetCodes(p), null).Length;
            if (length > longest)
            {
                (longest, who) = (length, p);
            }
        }

        if (longest > _model!.Config.Positions)
        {
            throw new ArgumentException($"{Name}: patient '{train.GetPatientId(who)}' needs {longest} tokens, more than the model's {_model.Config.Positions} positions.");
        }
    }

    internal override IReadOnlyList<TrainingPhase> Phases(int trainingPatients)
    {
        int perStep = Options.BatchSize * Options.GradientAccumulationSteps;
        return [new TrainingPhase("train", Options.Epochs, Options.BatchSize, StepsPerEpoch: Math.Max(1, (trainingPatients + perStep - 1) / perStep))];
    }

    /// <summary>
    /// The seed of a step's chunk order: a fixed mix of the run's seed and the step, the same in every process
    /// (<see cref="HashCode"/> is randomised per process, which made training differ between runs).
    /// </summary>
    internal static int ChunkOrderSeed(long runSeed, long step) => (int)(SeedScope.Derive(0, runSeed, step) & int.MaxValue);

    internal override IReadOnlyDictionary<string, double> TrainStep(StepContext step)
    {
        long warmup = (long)Math.Round(Options.WarmupFraction * step.TotalSteps);
        double lr = LearningRateSchedule.WarmupLinear(step.Step, step.TotalSteps, warmup, Options.LearningRate);
        LearningRateSchedule.Apply(_optimizer!, lr);
        _model!.train();
        _optimizer!.zero_grad();
        var order = new Random(ChunkOrderSeed(step.Rng.initial_seed(), step.Step));
        double loss = 0;
        long tokens = 0;
        for (int micro = 0; micro < Options.GradientAccumulationSteps; micro++)
        {
            // The micro-batch's loss is the mean over its tokens, as with one padded batch; it is computed over
            // length-sorted chunks so that short records are not padded to the longest one (same gradient, less work).
            var chunks = Chunks(step.Data, step.NextBatch(), Options.PermuteCodes ? order : null);
            long count = chunks.Sum(c => c.Tokens);
            using var share = (1.0 / (count * Options.GradientAccumulationSteps)).ToScalar();
            foreach (var chunk in chunks)
            {
                using var scope = NewDisposeScope();
                var (inputs, targets) = ToTensors(chunk);                                                  // [b, L] each
                var logits = _model.call(inputs);                                                           // [b, L, V]
                var sum = nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index: -100, reduction: nn.Reduction.Sum);
                sum.mul(share).backward();
                loss += sum.item<float>() / count / Options.GradientAccumulationSteps;
            }

            tokens += count;
        }

        if (Options.GradientClip > 0)
        {
            nn.utils.clip_grad_norm_(_model.parameters(), Options.GradientClip);
        }

        _optimizer.StepGuarded();
        return new Dictionary<string, double> { ["loss"] = loss, ["lr"] = lr, [TokensKey] = tokens };
    }

    internal override double ValidationLoss(EhrDataset validation, Generator rng)
    {
        _model!.eval();
        double total = 0;
        long tokens = 0;
        var all = Enumerable.Range(0, validation.PatientCount).ToArray();
        foreach (var chunk in all.Chunk(Options.BatchSize).SelectMany(patients => Chunks(validation, patients, null)))
        {
            using var scope = NewDisposeScope();
            var (inputs, targets) = ToTensors(chunk);                                                      // [b, L] each
            var logits = _model.call(inputs);                                                               // [b, L, V]
            total += nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index: -100, reduction: nn.Reduction.Sum).item<float>();
            tokens += chunk.Tokens;
        }

        return total / Math.Max(1, tokens);
    }

    internal override EhrDataset Sample(int count, Generator rng, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        SampleRecords(count, rng, [], progress, cancellationToken);

    internal override void SaveState(Dictionary<string, JsonElement> state)
    {
        state["gpt2_config"] = JsonSerializer.SerializeToElement(_model!.Config);
        state["tokenizer"] = JsonSerializer.SerializeToElement(_tokenizer!.Kind);
    }

    /// <inheritdoc />
    protected override void SaveCore(string folder, Dictionary<string, JsonElement> state)
    {
        base.SaveCore(folder, state);
        string hf = Path.Combine(folder, HuggingFaceFolder);
        Gpt2Checkpoint.Save(hf, _model!);
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
        else if (_tokenizer is CodeTokenizer code)
        {
            code.Save(Path.Combine(hf, "ehrsynth-code-tokenizer.json"));
        }
    }

    internal override IEnumerable<(string Name, nn.Module Module)> Modules() => [("model", _model!)];

    internal override IEnumerable<(string Name, OptimizerHelper Optimizer)> Optimizers() => [("adamw", _optimizer!)];

    /// <summary>The token sequence of a patient: prompt, codes (shuffled with <paramref name="order"/>), separators, end.</summary>
    internal int[] Sentence(int patient, ReadOnlySpan<int> codes, Random? order)
    {
        var list = codes.ToArray();
        order?.Shuffle(list);
        var tokens = new List<int>(_tokenizer!.Prompt(_codec!.Prompt((patient + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        for (int i = 0; i < list.Length; i++)
        {
            if (i > 0)
            {
                tokens.Add(_tokenizer.SeparatorToken);
            }

            tokens.AddRange(_codeTokens[list[i]]);
        }

        tokens.Add(_tokenizer.EosToken);
        return [.. tokens];
    }

    /// <summary>
    /// Generates tokens after each prompt (all of one length). Returns each sequence's new tokens and whether it ended
    /// with end-of-sequence; with a decoder, the decoder holds the completed codes.
    /// </summary>
    internal (List<int>[] Tokens, bool[] Ended) GenerateTokens(int[][] prompts, Generator rng, ConstrainedDecoder? decoder, bool useCache, double temperature, CancellationToken cancellationToken)
    {
        var config = _model!.Config;
        int b = prompts.Length, promptLength = prompts[0].Length;
        int maxNew = Math.Min(Options.MaxNewTokens, config.Positions - promptLength);
        if (maxNew < 2)
        {
            throw new InvalidOperationException($"The prompt ({promptLength} tokens) leaves no room in the model's {config.Positions} positions.");
        }

        _model.eval();
        var generated = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
        var ended = new bool[b];
        int eos = _tokenizer!.EosToken;
        using var cache = useCache ? new KvCache(config.Layers, b, config.Heads, promptLength + maxNew, config.Embedding / config.Heads, Device) : null;
        var context = tensor(prompts.SelectMany(p => p).Select(t => (long)t).ToArray(), [b, promptLength], device: Device);  // [B, Tp]
        var logits = _model.Forward(context, cache, 0)[.., ^1, ..];                                                            // [B, V]

        // Batch row r holds sequence rows[r]. When half the rows have finished, the batch is compacted to the live ones
        // (the KV cache, or the context when recomputing), so a long record does not keep every finished slot computing.
        int[] rows = [.. Enumerable.Range(0, b)];
        var keep = new List<int>(b);
        var allowed = new List<int>();
        int width = decoder is null ? 0 : _trie!.MaxFanout + 2;
        long[] index = new long[b * width];
        float[] penalty = new float[b * width];
        for (int step = 0; step < maxNew; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int n = rows.Length;
            long[] next;
            if (decoder is not null)
            {
                // Fixed-width candidate buffers, reused every step: no per-step garbage (see RootedScalars).
                for (int r = 0; r < n; r++)
                {
                    decoder.Allowed(rows[r], maxNew - step, allowed);
                    for (int k = 0; k < width; k++)
                    {
                        index[(r * width) + k] = allowed[Math.Min(k, allowed.Count - 1)];
                        penalty[(r * width) + k] = k < allowed.Count ? 0 : TokenSampler.Masked;
                    }
                }

                var indexTensor = tensor(index, [n, width], device: Device);                                                   // [n, A]
                var candidateLogits = logits.gather(1, indexTensor).Plus(tensor(penalty, [n, width], device: Device));         // [n, A]
                var choice = TokenSampler.Sample(candidateLogits, temperature, Options.TopK, Options.TopP, rng);               // [n]
                next = indexTensor.gather(1, choice.unsqueeze(1)).squeeze(1).cpu().data<long>().ToArray();
            }
            else
            {
                next = TokenSampler.Sample(logits, temperature, Options.TopK, Options.TopP, rng).cpu().data<long>().ToArray();
            }

            int live = 0;
            keep.Clear();
            for (int r = 0; r < n; r++)
            {
                int s = rows[r];
                if (ended[s] || (decoder?.Finished[s] ?? false))
                {
                    next[r] = eos;
                    continue;
                }

                int token = (int)next[r];
                decoder?.Advance(s, token);
                if (token == eos)
                {
                    ended[s] = true;
                }
                else
                {
                    generated[s].Add(token);
                    live++;
                    if (!(decoder?.Finished[s] ?? false))
                    {
                        keep.Add(r);   // still generating after this token: survives a compaction
                    }
                }
            }

            if (live == 0 || step == maxNew - 1)
            {
                break;
            }

            var input = tensor(next, [n, 1], device: Device);                                                                    // [n, 1]
            if (2 * live <= n)
            {
                var keepTensor = tensor(keep.Select(r => (long)r).ToArray(), device: Device);                                   // [n']
                input = input.index_select(0, keepTensor);                                                                       // [n', 1]
                if (cache is not null)
                {
                    cache.Keep(keepTensor);
                }
                else
                {
                    var kept = context.index_select(0, keepTensor).MoveToOuterDisposeScope();                                   // [n', Tp + step]
                    context.Dispose();
                    context = kept;
                }

                rows = [.. keep.Select(r => rows[r])];
                index = new long[rows.Length * width];
                penalty = new float[rows.Length * width];
            }

            logits.Dispose();
            if (cache is not null)
            {
                logits = _model.Forward(input, cache, promptLength + step)[.., ^1, ..].MoveToOuterDisposeScope();             // [n, V]
            }
            else
            {
                var grown = cat([context, input], dim: 1);                                                                       // [n, Tp + step + 1]
                context.Dispose();
                context = grown.MoveToOuterDisposeScope();
                logits = _model.Forward(context, null, 0)[.., ^1, ..].MoveToOuterDisposeScope();                               // naive recompute
            }
        }

        return (generated, ended);
    }

    /// <summary>
    /// Samples one batch of <paramref name="sequences"/> records from the same fresh prompt and returns how many tokens
    /// were generated (for benchmarks: constrained against unconstrained decoding on one model).
    /// </summary>
    internal long SampleBatchTokens(int sequences, bool constrained, int seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var rng = new Generator((ulong)seed, Device);
        var prompt = Prompt(0, []);
        var decoder = constrained ? new ConstrainedDecoder(_trie!, _tokenizer!.SeparatorToken, _tokenizer.EosToken, sequences, ModelVocabulary.Count) : null;
        var (tokens, _) = GenerateTokens([.. Enumerable.Repeat(prompt, sequences)], rng, decoder, useCache: true, Options.Temperature, CancellationToken.None);
        return tokens.Sum(t => (long)t.Count);
    }

    private EhrDataset SampleRecords(int count, Generator rng, IReadOnlyList<int> required, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var records = new int[count][];
        int invalid = 0, unknown = 0, duplicates = 0, truncated = 0, done = 0;
        var pending = Enumerable.Range(0, count).ToList();
        for (int round = 0; pending.Count > 0; round++)
        {
            var retry = new List<int>();

            // Prompts of one token length go together (ids of different lengths tokenize to different lengths).
            var byLength = pending.Select(i => (Index: i, Prompt: Prompt(i + (round * count), required))).GroupBy(p => p.Prompt.Length);
            foreach (var group in byLength)
            {
                foreach (var batch in group.Chunk(Options.GenerationBatchSize))
                {
                    using var scope = NewDisposeScope();   // frees the prompt pass and the cache views batch by batch
                    ConstrainedDecoder? decoder = null;
                    if (Options.Constrained)
                    {
                        decoder = new ConstrainedDecoder(_trie!, _tokenizer!.SeparatorToken, _tokenizer.EosToken, batch.Length, ModelVocabulary.Count);
                        for (int s = 0; s < batch.Length; s++)
                        {
                            foreach (int c in required)
                            {
                                decoder.Require(s, c);
                            }
                        }
                    }

                    var (tokens, ended) = GenerateTokens([.. batch.Select(p => p.Prompt)], rng, decoder, useCache: true, Options.Temperature, cancellationToken);
                    for (int s = 0; s < batch.Length; s++)
                    {
                        int i = batch[s].Index;
                        if (decoder is not null)
                        {
                            records[i] = [.. required, .. decoder.Codes(s)];
                            continue;
                        }

                        var decoded = _codec!.Decode(_tokenizer!.Decode(batch[s].Prompt.Concat(tokens[s])), ended[s]);
                        unknown += decoded.UnknownCodes.Count;
                        duplicates += decoded.DuplicatesRemoved;
                        truncated += ended[s] ? 0 : 1;
                        if (!decoded.IsValid && round < Options.MaxResampleRounds)
                        {
                            invalid++;
                            retry.Add(i);
                            continue;
                        }

                        records[i] = [.. decoded.Codes.Select(ModelVocabulary.IndexOf).Union(required)];   // the prompt lists the required codes
                    }

                    done += batch.Length;
                    progress?.Report(new GenerationProgress(Math.Min(done, count), count, watch.Elapsed));
                }
            }

            pending = retry;
        }

        var builder = new EhrDatasetBuilder(ModelVocabulary, "syn-");
        foreach (var r in records)
        {
            builder.AddPatient(r);
        }

        ReportGeneration(new GenerationReport { InvalidRecords = invalid, UnknownCodes = unknown, DuplicateCodesRemoved = duplicates, TruncatedRecords = truncated });
        return builder.Build();
    }

    private int[] Prompt(int i, IReadOnlyList<int> required)
    {
        var tokens = new List<int>(_tokenizer!.Prompt(_codec!.Prompt((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        foreach (int c in required)
        {
            tokens.AddRange(_codeTokens[c]);
            tokens.Add(_tokenizer.SeparatorToken);
        }

        return [.. tokens];
    }

    /// <summary>Rows per length-sorted training chunk: big enough for efficient matrix products, small enough to pad little.</summary>
    internal const int ChunkRows = 64;

    /// <summary>Rows of one padded training chunk: inputs and next-token targets (−100 past the end), row-major.</summary>
    internal sealed record TokenChunk(long[] Inputs, long[] Targets, int Rows, int Length, long Tokens);

    /// <summary>
    /// The patients' sentences sorted by length and cut into chunks of at most <see cref="ChunkRows"/> rows, each padded
    /// to its own longest sentence.
    /// </summary>
    internal List<TokenChunk> Chunks(EhrDataset data, IReadOnlyList<int> patients, Random? order)
    {
        var sentences = patients.Select(p => Sentence(p, data.GetCodes(p), order)).OrderBy(s => s.Length).ToArray();
        var chunks = new List<TokenChunk>();
        foreach (var rows in sentences.Chunk(ChunkRows))
        {
            int length = rows[^1].Length - 1;
            var inputs = new long[rows.Length * length];
            var targets = new long[rows.Length * length];
            long tokens = 0;
            for (int b = 0; b < rows.Length; b++)
            {
                var s = rows[b];
                for (int t = 0; t < length; t++)
                {
                    bool inside = t + 1 < s.Length;
                    inputs[(b * length) + t] = t < s.Length ? s[t] : _tokenizer!.PadToken;
                    targets[(b * length) + t] = inside ? s[t + 1] : -100;
                    tokens += inside ? 1 : 0;
                }
            }

            chunks.Add(new TokenChunk(inputs, targets, rows.Length, length, tokens));
        }

        return chunks;
    }

    private (Tensor Inputs, Tensor Targets) ToTensors(TokenChunk c) =>
        (tensor(c.Inputs, [c.Rows, c.Length], device: Device), tensor(c.Targets, [c.Rows, c.Length], device: Device));

    private Gpt2Config ResolveConfig()
    {
        var o = Options;
        if (o.PretrainedPath is { } folder)
        {
            return Gpt2Checkpoint.ReadConfig(folder);
        }

        var config = o.Model ?? Gpt2Config.Preset(o.ModelPreset);
        return o.Tokenizer == LlmTokenizer.Code ? config with { VocabSize = _tokenizer!.VocabSize, BosTokenId = null, EosTokenId = _tokenizer.EosToken } : config;
    }
}
