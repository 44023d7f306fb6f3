using System.Globalization;
using System.Text;

namespace EhrSynth.Generators.IO;

/// <summary>
/// Makes text from input files safe to show: control characters (terminal escape sequences, NUL) become visible
/// escapes such as <c>\u001b</c>, and long text is cut. Error messages quote file content through it.
/// </summary>
public static class TextSafety
{
    /// <summary>The text with every control character escaped, cut to <paramref name="maxLength"/> characters (then "…").</summary>
    public static string Printable(string? text, int maxLength = 200)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var span = text.AsSpan(0, Math.Min(text.Length, maxLength));
        bool clean = true;
        foreach (char c in span)
        {
            if (char.IsControl(c) && c != '\n')
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return text.Length <= maxLength ? text : string.Concat(span, "…");
        }

        var sb = new StringBuilder(span.Length + 8);
        foreach (char c in span)
        {
            if (char.IsControl(c) && c != '\n')
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return text.Length <= maxLength ? sb.ToString() : sb.Append('…').ToString();
    }
}
