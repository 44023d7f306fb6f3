using System.Text;
using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Llm.Tokenization;

/// <summary>
/// One token per vocabulary code plus structural tokens (beyond the paper, for fast training from scratch): the
/// template's words, the digits of the patient id, the separator and end-of-sequence. Sentences keep the paper's
/// semantics — "Patient ID 7 has Diagnostic Code(s) 401, 250" decodes to exactly that text — in far fewer tokens and a
/// ~900-entry vocabulary instead of GPT-2's 50,257.
/// </summary>
internal sealed class CodeTokenizer : IPatientTokenizer
{
    private const int Pad = 0;
    private const int Eos = 1;
    private const int Separator = 2;
    private const int FirstDigit = 3;

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _index;
    private readonly int _firstCode;

    public CodeTokenizer(IEnumerable<string> templateWords, CodeVocabulary codes)
    {
        var tokens = new List<string> { "<pad>", "<eos>", "," };
        tokens.AddRange(Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var words = templateWords.Where(w => !tokens.Contains(w)).Distinct().ToList();
        tokens.AddRange(words);
        _firstCode = tokens.Count;
        tokens.AddRange(codes);
        _tokens = [.. tokens];
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _tokens.Length; i++)
        {
            _index.TryAdd(_tokens[i], i);
        }

        Words = words;
    }

    /// <summary>The template's words, in token order.</summary>
    public IReadOnlyList<string> Words { get; }

    public string Kind => "code";

    public int VocabSize => _tokens.Length;

    public int EosToken => Eos;

    public int PadToken => Pad;

    public int SeparatorToken => Separator;

    /// <summary>The tokenizer for a sentence template and vocabulary.</summary>
    public static CodeTokenizer For(string template, CodeVocabulary codes)
    {
        string prefix = template[..^"{codes}".Length].Replace("{id}", " ", StringComparison.Ordinal);
        return new CodeTokenizer(prefix.Split(' ', StringSplitOptions.RemoveEmptyEntries), codes);
    }

    public int[] Prompt(string promptText)
    {
        var ids = new List<int>();
        foreach (var word in promptText.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (_index.TryGetValue(word, out int id) && id >= FirstDigit + 10 && id < _firstCode)
            {
                ids.Add(id);
            }
            else if (word.All(char.IsAsciiDigit))
            {
                ids.AddRange(word.Select(c => FirstDigit + (c - '0')));
            }
            else
            {
                throw new ArgumentException($"The code tokenizer cannot encode '{word}' in a prompt (template words and digit ids only).", nameof(promptText));
            }
        }

        return [.. ids];
    }

    public int[] Code(string code) =>
        _index.TryGetValue(code, out int id) && id >= _firstCode ? [id] : throw new ArgumentException($"Code '{code}' is not in the tokenizer's vocabulary.", nameof(code));

    public string Decode(IEnumerable<int> tokens)
    {
        var sb = new StringBuilder();
        int previous = -1;
        foreach (int t in tokens)
        {
            if (t is Pad or Eos || t < 0 || t >= _tokens.Length)
            {
                continue;
            }

            bool digit = t is >= FirstDigit and < FirstDigit + 10;
            bool previousDigit = previous is >= FirstDigit and < FirstDigit + 10;
            if (sb.Length > 0 && t != Separator && !(digit && previousDigit))
            {
                sb.Append(' ');
            }

            sb.Append(_tokens[t]);
            previous = t;
        }

        return sb.ToString();
    }

    /// <summary>Writes the tokens, one per line, atomically.</summary>
    public void Save(string path) => AtomicFile.WriteText(path, w => w.Write(JsonSerializer.Serialize(new { tokens = _tokens, first_code = _firstCode })));
}
