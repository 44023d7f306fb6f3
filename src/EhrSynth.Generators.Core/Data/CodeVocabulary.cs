using System.Collections;
using System.Collections.Frozen;

namespace EhrSynth.Generators.Data;

/// <summary>
/// The ordered, distinct diagnosis codes that index the columns of an <see cref="EhrDataset"/>,
/// with optional human-readable titles.
/// </summary>
/// <remarks>
/// Codes are kept exactly as given (for ICD-9: no decimal point, leading zeros kept, e.g. <c>"008"</c>,
/// <c>"E878"</c>, <c>"V45"</c>). A vocabulary is immutable; <see cref="WithTitles"/> returns a copy.
/// </remarks>
public sealed class CodeVocabulary : IReadOnlyList<string>, IEquatable<CodeVocabulary>
{
    private readonly string[] _codes;
    private readonly FrozenDictionary<string, int> _index;
    private readonly string?[] _titles;

    /// <summary>Creates a vocabulary from codes in column order.</summary>
    /// <param name="codes">Distinct, non-empty codes without surrounding white space or commas.</param>
    /// <param name="titles">Optional titles by code; codes without one have no title.</param>
    /// <exception cref="ArgumentNullException"><paramref name="codes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A code is empty, has white space or a comma, or occurs twice.</exception>
    public CodeVocabulary(IEnumerable<string> codes, IReadOnlyDictionary<string, string>? titles = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        _codes = codes.ToArray();
        var index = new Dictionary<string, int>(_codes.Length, StringComparer.Ordinal);
        for (int i = 0; i < _codes.Length; i++)
        {
            string code = _codes[i] ?? throw new ArgumentException($"Code at column {i} is null.", nameof(codes));
            if (!IsValidCode(code))
            {
                throw new ArgumentException(
                    $"Code at column {i} ('{Printable(code)}') is not a valid code: {CodeRule}.", nameof(codes));
            }

            if (!index.TryAdd(code, i))
            {
                throw new ArgumentException(
                    $"Code '{code}' occurs twice (columns {index[code]} and {i}).", nameof(codes));
            }
        }

        _index = index.ToFrozenDictionary(StringComparer.Ordinal);
        _titles = new string?[_codes.Length];
        if (titles is not null)
        {
            for (int i = 0; i < _codes.Length; i++)
            {
                _titles[i] = titles.TryGetValue(_codes[i], out var t) ? t : null;
            }
        }
    }

    private CodeVocabulary(string[] codes, FrozenDictionary<string, int> index, string?[] titles, bool isPublic)
    {
        _codes = codes;
        _index = index;
        _titles = titles;
        IsPublic = isPublic;
    }

    /// <summary>
    /// Whether the caller declared this list of codes public — chosen without looking at the patients (a published code
    /// list such as <c>EhrDatasets.PublicCategories</c>), which a differentially private fit requires: the set of codes
    /// that occur in the data is itself information about the patients. Kept by <see cref="WithTitles"/>; a vocabulary
    /// built from data is not public.
    /// </summary>
    public bool IsPublic { get; }

    /// <summary>
    /// A copy declared public (<see cref="IsPublic"/>). Declare only a list fixed without looking at the data; align the
    /// data to it with <see cref="EhrDataset.AlignTo"/> before a private fit.
    /// </summary>
    public CodeVocabulary AsPublic() => IsPublic ? this : new CodeVocabulary(_codes, _index, _titles, isPublic: true);

    /// <summary>Number of codes (columns).</summary>
    public int Count => _codes.Length;

    /// <summary>The code at a column.</summary>
    /// <param name="index">Column index, 0 ≤ index &lt; <see cref="Count"/>.</param>
    public string this[int index] => _codes[index];

    /// <summary>Whether any code has a title.</summary>
    public bool HasTitles => _titles.Any(t => t is not null);

    /// <summary>Returns the column of <paramref name="code"/>, or -1 when it is not in the vocabulary.</summary>
    public int IndexOf(string code) => code is not null && _index.TryGetValue(code, out int i) ? i : -1;

    /// <summary>Looks up the column of <paramref name="code"/>.</summary>
    public bool TryGetIndex(string code, out int index)
    {
        if (code is not null && _index.TryGetValue(code, out index))
        {
            return true;
        }

        index = -1;
        return false;
    }

    /// <summary>Whether <paramref name="code"/> is in the vocabulary.</summary>
    public bool Contains(string code) => IndexOf(code) >= 0;

    /// <summary>The title of the code at a column, or <see langword="null"/>.</summary>
    public string? GetTitle(int index) => _titles[index];

    /// <summary>The title of a code, or <see langword="null"/> when the code is unknown or untitled.</summary>
    public string? GetTitle(string code) => TryGetIndex(code, out int i) ? _titles[i] : null;

    /// <summary>Returns a copy whose titles come from <paramref name="titles"/> (codes it lacks keep their title).</summary>
    public CodeVocabulary WithTitles(Func<string, string?> titles)
    {
        ArgumentNullException.ThrowIfNull(titles);
        var copy = new string?[_codes.Length];
        for (int i = 0; i < _codes.Length; i++)
        {
            copy[i] = titles(_codes[i]) ?? _titles[i];
        }

        return new CodeVocabulary(_codes, _index, copy, IsPublic);
    }

    /// <summary>Codes in column order.</summary>
    public IReadOnlyList<string> Codes => _codes;

    /// <summary>True when both vocabularies have the same codes in the same order (titles are ignored).</summary>
    public bool Equals(CodeVocabulary? other) =>
        other is not null && (ReferenceEquals(this, other) || _codes.AsSpan().SequenceEqual(other._codes));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CodeVocabulary);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var c in _codes)
        {
            hash.Add(c, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_codes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Whether a string can be a code: 1 to 256 characters, no white space, comma, double quote or control character, and
    /// not starting with a character a spreadsheet reads as a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>).
    /// </summary>
    public static bool IsValidCode(string code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > MaxCodeLength || code[0] is '=' or '+' or '-' or '@')
        {
            return false;
        }

        foreach (char c in code)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == ',' || c == '"')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The longest code: 256 characters.</summary>
    public const int MaxCodeLength = 256;

    /// <summary>Why <see cref="IsValidCode"/> refuses codes, for error messages.</summary>
    public const string CodeRule = "a code is 1 to 256 characters without white space, commas, quotes or control characters, and does not start with =, +, - or @";

    /// <inheritdoc />
    public override string ToString() => $"CodeVocabulary({Count} codes)";

    /// <summary>A code as it may be shown in a message: control characters escaped, long codes cut.</summary>
    internal static string Printable(string code) => IO.TextSafety.Printable(code, 64);
}
