using System.Text.RegularExpressions;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Llm.Text;

/// <summary>
/// The paper's textual encoding of a patient — "Patient ID X has Diagnostic Code(s) D1, D2, …" — and its inverse.
/// Decoding never throws on model output: it returns the valid codes and what was wrong.
/// </summary>
public sealed class PatientSentenceCodec
{
    /// <summary>The paper's template. <c>{id}</c> and <c>{codes}</c> are replaced; <c>{codes}</c> must end it.</summary>
    public const string DefaultTemplate = "Patient ID {id} has Diagnostic Code(s) {codes}";

    /// <summary>
    /// The paper's sentence without its "Patient ID X has" part (a departure; the quick preset's): every prompt is the
    /// same two words, and a patient costs about half the tokens of <see cref="DefaultTemplate"/> with the code-level
    /// tokenizer (the six-digit id alone is six tokens).
    /// </summary>
    public const string CodesOnlyTemplate = "Diagnostic Code(s) {codes}";

    private readonly Regex _pattern;

    /// <summary>Creates a codec.</summary>
    /// <param name="vocabulary">The codes the codec accepts.</param>
    /// <param name="template">The sentence: text to prompt with, optionally holding <c>{id}</c>, then <c>{codes}</c> at the end.</param>
    /// <exception cref="ArgumentException">The template does not end with <c>{codes}</c>, or has nothing before it to prompt with.</exception>
    public PatientSentenceCodec(CodeVocabulary vocabulary, string template = DefaultTemplate)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(template);
        if (Problem(template) is { } problem)
        {
            throw new ArgumentException($"{problem} (got '{template}').", nameof(template));
        }

        Vocabulary = vocabulary;
        Template = template;
        string prefix = template[..^"{codes}".Length].TrimEnd();
        string pattern = "^" + Regex.Escape(prefix).Replace(Regex.Escape("{id}"), "(?<id>\\S+)", StringComparison.Ordinal) + "(?<codes>.*)$";
        _pattern = new Regex(pattern, RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    /// <summary>The codes the codec accepts.</summary>
    public CodeVocabulary Vocabulary { get; }

    /// <summary>Whether sentences carry a patient id (the template holds <c>{id}</c>).</summary>
    public bool HasId => Template.Contains("{id}", StringComparison.Ordinal);

    /// <summary>The sentence template.</summary>
    public string Template { get; }

    /// <summary>The sentence of a patient, codes in the order given: <c>Patient ID 7 has Diagnostic Code(s) 401, 250</c>.</summary>
    public string Encode(string patientId, IEnumerable<string> codes) => Prompt(patientId) + " " + string.Join(", ", codes);

    /// <summary>The sentence up to the codes: <c>Patient ID 7 has Diagnostic Code(s)</c>.</summary>
    public string Prompt(string patientId) => Template[..^"{codes}".Length].TrimEnd().Replace("{id}", patientId, StringComparison.Ordinal);

    /// <summary>Decodes model output; never throws.</summary>
    /// <param name="text">The generated sentence (special tokens removed).</param>
    /// <param name="ended">Whether generation ended with an end-of-sequence token (otherwise the record is marked truncated).</param>
    public DecodedRecord Decode(string? text, bool ended = true)
    {
        var issues = ended ? RecordIssues.None : RecordIssues.Truncated;
        var match = _pattern.Match(text ?? "");
        if (!match.Success)
        {
            return new DecodedRecord(null, [], issues | RecordIssues.Malformed | RecordIssues.Empty, [], 0);
        }

        var codes = new List<string>();
        var unknown = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int duplicates = 0;
        string list = match.Groups["codes"].Value.Trim();
        if (list.Length > 0)
        {
            foreach (var piece in list.Split(','))
            {
                string code = piece.Trim();
                if (code.Length == 0)
                {
                    issues |= RecordIssues.Malformed;
                }
                else if (!Vocabulary.Contains(code))
                {
                    issues |= RecordIssues.UnknownCode;
                    unknown.Add(code);
                }
                else if (!seen.Add(code))
                {
                    issues |= RecordIssues.Duplicate;
                    duplicates++;
                }
                else
                {
                    codes.Add(code);
                }
            }
        }

        if (codes.Count == 0)
        {
            issues |= RecordIssues.Empty;
        }

        return new DecodedRecord(HasId ? match.Groups["id"].Value : null, codes, issues, unknown, duplicates);
    }

    /// <summary>What is wrong with a sentence template, or <see langword="null"/> when it is usable.</summary>
    /// <param name="template">The template.</param>
    public static string? Problem(string? template)
    {
        if (template is null || !template.EndsWith("{codes}", StringComparison.Ordinal))
        {
            return "The sentence template must end with {codes}";
        }

        string prefix = template[..^"{codes}".Length];
        int ids = prefix.Split("{id}").Length - 1;
        if (prefix.Contains("{codes}", StringComparison.Ordinal) || ids > 1)
        {
            return "The sentence template must hold {codes} once, at its end, and {id} at most once";
        }

        return ids == 0 && string.IsNullOrWhiteSpace(prefix) ? "The sentence template needs words or {id} before {codes}: the model is prompted with them" : null;
    }
}
