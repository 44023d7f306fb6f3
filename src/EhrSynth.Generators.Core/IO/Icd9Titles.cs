using System.Collections.Frozen;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>
/// Short titles of ICD-9-CM diagnosis codes, from the CMS v32 short-description file
/// (<c>CMS32_DESC_SHORT_DX.txt</c>) or from MIMIC-III's <c>D_ICD_DIAGNOSES</c> table, with derived titles for
/// three-digit categories.
/// </summary>
/// <remarks>
/// Both sources list only billable (leaf) codes, so a category such as <c>401</c> has no row. Its title is derived
/// from its codes: the category's subdivision 9, which ICD-9 reserves for "unspecified" (<c>4019</c> Hypertension
/// NOS for <c>401</c>); else an unspecified code under 9, else any code whose title says NOS or unspecified;
/// else the category's lowest code (<c>25000</c> for <c>250</c>).
/// </remarks>
public sealed class Icd9Titles
{
    private readonly FrozenDictionary<string, string> _titles;
    private readonly Dictionary<string, string?> _categoryCache = new(StringComparer.Ordinal);
    private readonly string[] _sortedCodes;

    private Icd9Titles(Dictionary<string, string> titles)
    {
        _titles = titles.ToFrozenDictionary(StringComparer.Ordinal);
        _sortedCodes = titles.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Number of codes with a title.</summary>
    public int Count => _titles.Count;

    /// <summary>Reads the CMS short-description format: <c>code  title</c> per line; a first line <c>ID  Diagnosis</c> is skipped.</summary>
    /// <exception cref="EhrDataFormatException">A line is not <c>code title</c>; the message names the file and line.</exception>
    public static Icd9Titles LoadCms(string path)
    {
        using var reader = DataFiles.OpenText(path);
        return LoadCms(reader, path);
    }

    /// <summary>Reads the CMS short-description format from a text reader.</summary>
    /// <exception cref="EhrDataFormatException">A line is not <c>code title</c>; the message names the source and line.</exception>
    public static Icd9Titles LoadCms(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.AsSpan().TrimEnd();
            if (text.IsEmpty || (lineNumber == 1 && text.StartsWith("ID ", StringComparison.Ordinal)))
            {
                continue;
            }

            int space = text.IndexOfAny(' ', '\t');
            var title = space < 0 ? [] : text[space..].Trim();
            if (space <= 0 || title.IsEmpty)
            {
                throw new EhrDataFormatException("expected a code, white space and a title", name, lineNumber);
            }

            titles[text[..space].ToString()] = title.ToString();
        }

        if (titles.Count == 0)
        {
            throw new EhrDataFormatException("the titles file is empty", name);
        }

        return new Icd9Titles(titles);
    }

    /// <summary>Reads MIMIC-III's <c>D_ICD_DIAGNOSES</c> table (columns <c>icd9_code</c>, <c>short_title</c>).</summary>
    /// <exception cref="EhrDataFormatException">The table is malformed; the message names the file and line.</exception>
    public static Icd9Titles LoadMimic(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        using var csv = new CsvReader(reader, name);
        var col = csv.ReadHeader(["icd9_code", "short_title"], out _);
        int need = col.Max() + 1;
        while (csv.Read())
        {
            csv.RequireFields(need);
            var code = csv[col[0]].Trim();
            if (code.IsEmpty)
            {
                throw csv.Error("icd9_code is empty");
            }

            titles[code.ToString()] = csv[col[1]].Trim().ToString();
        }

        if (titles.Count == 0)
        {
            throw new EhrDataFormatException("the table has no rows", name);
        }

        return new Icd9Titles(titles);
    }

    /// <summary>
    /// Every three-digit category of the listed codes (medGAN's rule, <see cref="Icd9Codes.ToThreeDigit"/>), sorted: a
    /// vocabulary that is public knowledge rather than read from any patient data — what a differentially private fit
    /// must use, since the set of codes that occur in the data is itself information about the patients.
    /// </summary>
    public CodeVocabulary Categories() => new CodeVocabulary(_sortedCodes.Select(Icd9Codes.ToThreeDigit).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)).AsPublic();

    /// <summary>The title of a full code, or <see langword="null"/>.</summary>
    public string? GetTitle(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return _titles.TryGetValue(code, out var t) ? t : null;
    }

    /// <summary>
    /// The title of a code or of a three-digit category (derived, see remarks), or <see langword="null"/> when
    /// nothing matches.
    /// </summary>
    public string? Describe(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (_titles.TryGetValue(code, out var exact))
        {
            return exact;
        }

        lock (_categoryCache)
        {
            if (!_categoryCache.TryGetValue(code, out var derived))
            {
                derived = DeriveCategoryTitle(code);
                _categoryCache[code] = derived;
            }

            return derived;
        }
    }

    /// <summary>A copy of <paramref name="vocabulary"/> with titles from <see cref="Describe"/>.</summary>
    public CodeVocabulary Apply(CodeVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return vocabulary.WithTitles(Describe);
    }

    private string? DeriveCategoryTitle(string category)
    {
        int first = Array.BinarySearch(_sortedCodes, category, StringComparer.Ordinal);
        first = first < 0 ? ~first : first;
        var children = new List<string>();
        for (int i = first; i < _sortedCodes.Length && _sortedCodes[i].StartsWith(category, StringComparison.Ordinal); i++)
        {
            children.Add(_sortedCodes[i]);
        }

        if (children.Count == 0)
        {
            return null;
        }

        // ICD-9 puts "unspecified" at subdivision 9 (4019 Hypertension NOS); it names the category best.
        string nine = category + "9";
        if (_titles.TryGetValue(nine, out var unspecified))
        {
            return unspecified;
        }

        var nos = children.FirstOrDefault(c => c.StartsWith(nine, StringComparison.Ordinal) && IsUnspecified(_titles[c]))
            ?? children.FirstOrDefault(c => IsUnspecified(_titles[c]));
        return _titles[nos ?? children[0]];
    }

    private static bool IsUnspecified(string title) =>
        title.Contains("NOS", StringComparison.Ordinal) || title.Contains("unsp", StringComparison.OrdinalIgnoreCase);
}
