namespace EhrSynth.Generators.Data;

/// <summary>
/// Helpers for ICD-10-CM diagnosis code strings (upper case, no decimal point: <c>E119</c> for E11.9), the coding of
/// MIMIC-IV's <c>icd_version = 10</c> rows and of most OMOP source values after 2015 in the US.
/// </summary>
/// <remarks>
/// An ICD-10-CM code is a letter, a digit, a digit or letter (<c>C4A</c>, <c>M1A</c>), then up to four more letters or
/// digits: 3 to 7 characters. Its first three characters are its <b>category</b> (<c>I10</c> hypertension,
/// <c>E11</c> type 2 diabetes, <c>N18</c> chronic kidney disease): 1,910 categories in FY2018, the ICD-10
/// counterpart of medGAN's three-digit ICD-9 grouping.
/// </remarks>
public static class Icd10Codes
{
    /// <summary>
    /// Normalises a code as written in the wild (<c>E11.9</c>, <c>e119</c>, <c> I10 </c>) to the stored form
    /// (<c>E119</c>, <c>I10</c>): trimmed, the decimal point removed, upper case. Returns <see langword="null"/> when
    /// the text is not shaped like an ICD-10-CM code.
    /// </summary>
    public static string? Normalize(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        Span<char> buffer = stackalloc char[8];
        int n = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '.' && n == 3)
            {
                continue;                                       // the dot sits after the category, nowhere else
            }

            if (!char.IsAsciiLetterOrDigit(c) || n == buffer.Length)
            {
                return null;
            }

            buffer[n++] = char.ToUpperInvariant(c);
        }

        var code = buffer[..n];
        return n is >= 3 and <= 7 && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiDigit(code[1]) ? code.ToString() : null;
    }

    /// <summary>The three-character category of a stored code (<c>E119</c> → <c>E11</c>); shorter codes are returned unchanged.</summary>
    public static string ToCategory(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Length > 3 ? code[..3] : code;
    }

    /// <summary>
    /// Applies a grouping to a stored code: <see cref="CodeGrouping.ThreeDigit"/> is the three-character category
    /// (<see cref="ToCategory"/>), <see cref="CodeGrouping.Full"/> the code itself.
    /// </summary>
    public static string Group(string code, CodeGrouping grouping) =>
        grouping == CodeGrouping.ThreeDigit ? ToCategory(code) : code;
}
