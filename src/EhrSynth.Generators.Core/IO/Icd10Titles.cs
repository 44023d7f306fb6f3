using System.Collections.Frozen;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>
/// Titles of ICD-10-CM categories and subcategories (the CMS FY2018 code files as a two-column table:
/// <c>E11,"Type 2 diabetes mellitus"</c>, codes without the dot, no header). A code without its own row takes the title
/// of its longest listed prefix, so a billable <c>E1165</c> reads as its subcategory <c>E116</c>.
/// </summary>
public sealed class Icd10Titles
{
    private readonly FrozenDictionary<string, string> _titles;

    private Icd10Titles(Dictionary<string, string> titles) => _titles = titles.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Number of codes with a title.</summary>
    public int Count => _titles.Count;

    /// <summary>Reads the <c>code,"title"</c> table.</summary>
    /// <exception cref="EhrDataFormatException">A line is not a code and a title, or the code is not shaped like ICD-10-CM; the message names the line.</exception>
    public static Icd10Titles Load(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        using var csv = new CsvReader(reader, name);
        while (csv.Read())
        {
            if (csv.FieldCount < 2)
            {
                throw csv.Error($"expected a code and a title, found {csv.FieldCount} field(s)");
            }

            var code = Icd10Codes.Normalize(csv[0]) ?? throw csv.Error($"'{TextSafety.Printable(csv[0].ToString(), 32)}' is not an ICD-10-CM code");
            var title = csv[1].Trim();
            if (!title.IsEmpty)
            {
                titles[code] = title.ToString();
            }
        }

        return titles.Count > 0 ? new Icd10Titles(titles) : throw new EhrDataFormatException("the titles table is empty", name);
    }

    /// <summary>
    /// Every three-character category listed, sorted: a public vocabulary (1,910 categories in FY2018) for a
    /// differentially private fit on ICD-10-CM data, which may not take its columns from the patients.
    /// </summary>
    public CodeVocabulary Categories() =>
        new CodeVocabulary(_titles.Keys.Where(c => c.Length == 3).Order(StringComparer.Ordinal), _titles).AsPublic();

    /// <summary>The title of a code, or of its longest listed prefix; <see langword="null"/> when none is listed.</summary>
    public string? Describe(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        for (int length = code.Length; length >= 3; length--)
        {
            if (_titles.TryGetValue(code[..length], out var title))
            {
                return title;
            }
        }

        return null;
    }

    /// <summary>A copy of <paramref name="vocabulary"/> with titles from <see cref="Describe"/>.</summary>
    public CodeVocabulary Apply(CodeVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return vocabulary.WithTitles(Describe);
    }
}
