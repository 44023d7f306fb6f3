namespace EhrSynth.Generators.Data;

/// <summary>Helpers for ICD-9-CM diagnosis code strings (no decimal point, leading zeros kept).</summary>
public static class Icd9Codes
{
    /// <summary>
    /// Groups a code to its three-digit category with medGAN's rule: codes starting with <c>E</c> keep 4
    /// characters (<c>E8788</c> → <c>E878</c>), all others 3 (<c>4019</c> → <c>401</c>, <c>V4501</c> → <c>V45</c>).
    /// Shorter codes are returned unchanged.
    /// </summary>
    public static string ToThreeDigit(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        int keep = code.StartsWith('E') ? 4 : 3;
        return code.Length > keep ? code[..keep] : code;
    }

    /// <summary>Applies a grouping to a code.</summary>
    public static string Group(string code, CodeGrouping grouping) =>
        grouping == CodeGrouping.ThreeDigit ? ToThreeDigit(code) : code;

    /// <summary>
    /// Normalises a dotted code as written in UCI Diabetes 130-US (<c>250.83</c>, <c>8</c>, <c>V57</c>, <c>E909</c>)
    /// to the MIMIC form: the decimal point is removed, and a numeric category is left-padded with zeros to 3
    /// digits (the source dropped leading zeros: <c>8</c> stands for <c>008</c>, <c>38.9</c> for <c>0389</c>).
    /// Returns <see langword="null"/> when the text is not an ICD-9 code.
    /// </summary>
    public static string? NormalizeDotted(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            return null;
        }

        int dot = text.IndexOf('.');
        var category = dot >= 0 ? text[..dot] : text;
        var detail = dot >= 0 ? text[(dot + 1)..] : [];
        if (category.IsEmpty || !IsAsciiAlphanumeric(category) || !IsAsciiDigits(detail))
        {
            return null;
        }

        char first = char.ToUpperInvariant(category[0]);
        if (first is 'E' or 'V')
        {
            if (!IsAsciiDigits(category[1..]) || category.Length < 2)
            {
                return null;
            }

            return string.Concat(first.ToString(), category[1..], detail);
        }

        if (!IsAsciiDigits(category) || category.Length > 3)
        {
            return null;
        }

        return string.Concat(new string('0', 3 - category.Length), category, detail);
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiAlphanumeric(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
