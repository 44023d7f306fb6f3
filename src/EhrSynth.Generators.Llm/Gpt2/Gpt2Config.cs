using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Llm.Gpt2;

/// <summary>
/// A GPT-2 configuration that binds Hugging Face's <c>config.json</c> (snake_case keys), with the paper's presets and
/// small presets for training from scratch on a CPU.
/// </summary>
public sealed record Gpt2Config
{
    /// <summary>Token vocabulary size. GPT-2: 50,257.</summary>
    [JsonPropertyName("vocab_size")]
    [Range(1, 10_000_000)]
    public int VocabSize { get; init; } = 50_257;

    /// <summary>Maximum sequence length (positions). GPT-2: 1,024.</summary>
    [JsonPropertyName("n_positions")]
    [Range(1, 1_000_000)]
    public int Positions { get; init; } = 1_024;

    /// <summary>Embedding width.</summary>
    [JsonPropertyName("n_embd")]
    [Range(1, 65_536)]
    public int Embedding { get; init; } = 768;

    /// <summary>Transformer blocks.</summary>
    [JsonPropertyName("n_layer")]
    [Range(1, 1_000)]
    public int Layers { get; init; } = 12;

    /// <summary>Attention heads (must divide the embedding width).</summary>
    [JsonPropertyName("n_head")]
    [Range(1, 1_000)]
    public int Heads { get; init; } = 12;

    /// <summary>MLP width; <see langword="null"/> means 4 × <see cref="Embedding"/> (as HF).</summary>
    [JsonPropertyName("n_inner")]
    public int? Inner { get; init; }

    /// <summary>LayerNorm ε. GPT-2: 1e-5.</summary>
    [JsonPropertyName("layer_norm_epsilon")]
    public double LayerNormEpsilon { get; init; } = 1e-5;

    /// <summary>Embedding dropout. GPT-2: 0.1.</summary>
    [JsonPropertyName("embd_pdrop")]
    public double EmbeddingDropout { get; init; } = 0.1;

    /// <summary>Attention-probability dropout. GPT-2: 0.1.</summary>
    [JsonPropertyName("attn_pdrop")]
    public double AttentionDropout { get; init; } = 0.1;

    /// <summary>Residual dropout. GPT-2: 0.1.</summary>
    [JsonPropertyName("resid_pdrop")]
    public double ResidualDropout { get; init; } = 0.1;

    /// <summary>Activation; only <c>gelu_new</c> (tanh GELU) is supported.</summary>
    [JsonPropertyName("activation_function")]
    public string Activation { get; init; } = "gelu_new";

    /// <summary>Standard deviation of the initial weights. GPT-2: 0.02.</summary>
    [JsonPropertyName("initializer_range")]
    public double InitializerRange { get; init; } = 0.02;

    /// <summary>Beginning-of-sequence token id. GPT-2: 50,256.</summary>
    [JsonPropertyName("bos_token_id")]
    public int? BosTokenId { get; init; } = 50_256;

    /// <summary>End-of-sequence token id. GPT-2: 50,256.</summary>
    [JsonPropertyName("eos_token_id")]
    public int? EosTokenId { get; init; } = 50_256;

    /// <summary>The MLP width actually used.</summary>
    [JsonIgnore]
    public int InnerWidth => Inner ?? (4 * Embedding);

    /// <summary>DistilGPT2: 6 layers, 768 wide, 12 heads.</summary>
    public static Gpt2Config DistilGpt2 { get; } = new() { Layers = 6 };

    /// <summary>GPT2 (124M): 12 layers, 768 wide, 12 heads.</summary>
    public static Gpt2Config Gpt2 { get; } = new();

    /// <summary>GPT2-Medium: 24 layers, 1,024 wide, 16 heads.</summary>
    public static Gpt2Config Gpt2Medium { get; } = new() { Layers = 24, Embedding = 1_024, Heads = 16 };

    /// <summary>GPT2-Large: 36 layers, 1,280 wide, 20 heads.</summary>
    public static Gpt2Config Gpt2Large { get; } = new() { Layers = 36, Embedding = 1_280, Heads = 20 };

    /// <summary>A small model for CPU training from scratch: 4 layers, 256 wide, 4 heads, 128 positions.</summary>
    public static Gpt2Config Small { get; } = new() { Layers = 4, Embedding = 256, Heads = 4, Positions = 128 };

    /// <summary>A tiny model for tests and minute-long runs: 2 layers, 128 wide, 4 heads, 128 positions.</summary>
    public static Gpt2Config Tiny { get; } = new() { Layers = 2, Embedding = 128, Heads = 4, Positions = 128 };

    /// <summary>The smallest point of the size study: 1 layer, 64 wide, 2 heads, 128 positions.</summary>
    public static Gpt2Config Mini { get; } = new() { Layers = 1, Embedding = 64, Heads = 2, Positions = 128 };

    /// <summary>A preset by name: distilgpt2, gpt2, gpt2-medium, gpt2-large, small, tiny, mini.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the presets.</exception>
    public static Gpt2Config Preset(string name) => name.Trim().ToLowerInvariant() switch
    {
        "distilgpt2" => DistilGpt2,
        "gpt2" => Gpt2,
        "gpt2-medium" => Gpt2Medium,
        "gpt2-large" => Gpt2Large,
        "small" => Small,
        "tiny" => Tiny,
        "mini" => Mini,
        _ => throw new ArgumentException($"Unknown GPT-2 preset '{name}'. Known: distilgpt2, gpt2, gpt2-medium, gpt2-large, small, tiny, mini."),
    };

    /// <summary>Reads a Hugging Face <c>config.json</c>.</summary>
    /// <exception cref="EhrDataFormatException">The file is not a GPT-2 configuration this library supports.</exception>
    public static Gpt2Config Load(string path)
    {
        Gpt2Config? config;
        try
        {
            config = JsonSerializer.Deserialize<Gpt2Config>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new EhrDataFormatException($"not a valid config.json ({e.Message})", path, e.LineNumber + 1, innerException: e);
        }

        if (config is null)
        {
            throw new EhrDataFormatException("the configuration is empty", path);
        }

        var problems = config.Problems();
        if (problems.Count > 0)
        {
            throw new EhrDataFormatException(string.Join("; ", problems), path);
        }

        return config;
    }

    /// <summary>Writes a Hugging Face <c>config.json</c> that <c>transformers</c> can load as <c>GPT2LMHeadModel</c>.</summary>
    public void Save(string path)
    {
        var node = JsonSerializer.SerializeToNode(this, JsonOptions)!.AsObject();
        node["architectures"] = new System.Text.Json.Nodes.JsonArray("GPT2LMHeadModel");
        node["model_type"] = "gpt2";
        node["n_ctx"] = Positions;
        node["scale_attn_weights"] = true;
        node["use_cache"] = true;
        node["torch_dtype"] = "float32";
        AtomicFile.WriteText(path, w => w.Write(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
    }

    /// <summary>The most parameters a configuration may describe: 2 billion (GPT-2 XL has 1.56 billion).</summary>
    public const long MaxParameters = 2_000_000_000;

    /// <summary>
    /// Every problem with the configuration (empty when valid): sizes must be positive and within limits that every
    /// GPT-2 fits (n_embd ≤ 16,384, n_layer and n_head ≤ 256, n_positions ≤ 131,072, vocab_size ≤ 1,048,576, n_inner ≤
    /// 65,536, at most <see cref="MaxParameters"/> parameters), so a file cannot make the library allocate without bound.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Range(string name, long value, long max)
        {
            if (value < 1 || value > max)
            {
                problems.Add($"{name} is {value:N0}; it must be between 1 and {max:N0}");
            }
        }

        Range("vocab_size", VocabSize, 1 << 20);
        Range("n_positions", Positions, 131_072);
        Range("n_embd", Embedding, 16_384);
        Range("n_layer", Layers, 256);
        Range("n_head", Heads, 256);
        if (Inner is { } inner)
        {
            Range("n_inner", inner, 65_536);
        }

        if (Heads >= 1 && Embedding % Heads != 0)
        {
            problems.Add($"n_embd ({Embedding}) must be divisible by n_head ({Heads})");
        }

        if (Activation != "gelu_new")
        {
            problems.Add($"activation_function '{IO.TextSafety.Printable(Activation, 40)}' is not supported (gelu_new only)");
        }

        if (!(LayerNormEpsilon > 0 && LayerNormEpsilon < 1) || !(InitializerRange >= 0 && InitializerRange < 10)
            || new[] { EmbeddingDropout, AttentionDropout, ResidualDropout }.Any(p => !(p >= 0 && p < 1)))
        {
            problems.Add("layer_norm_epsilon must be in (0, 1), the dropout rates in [0, 1) and initializer_range in [0, 10)");
        }

        if (problems.Count == 0 && ParameterCount() > MaxParameters)
        {
            problems.Add($"the configuration describes {ParameterCount():N0} parameters, more than {MaxParameters:N0}");
        }

        return problems;
    }

    /// <summary>Parameters of the model with a tied LM head.</summary>
    public long ParameterCount()
    {
        long c = Embedding, v = VocabSize, p = Positions, inner = InnerWidth;
        long perBlock = (2 * 2 * c) + (c * 3 * c) + (3 * c) + (c * c) + c + (c * inner) + inner + (inner * c) + c;
        return (v * c) + (p * c) + (Layers * perBlock) + (2 * c);
    }

    private static JsonSerializerOptions JsonOptions { get; } = new() { NumberHandling = JsonNumberHandling.AllowReadingFromString };
}
