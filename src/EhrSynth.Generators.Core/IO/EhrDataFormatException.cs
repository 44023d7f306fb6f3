using System.Globalization;
using System.Text;

namespace EhrSynth.Generators.IO;

/// <summary>
/// Bad input data. The message and the properties name where the problem is: the file and line, or the
/// patient and code, and the reason. The message shows control characters from the input as escapes (see
/// <see cref="TextSafety"/>), so printing it cannot drive a terminal.
/// </summary>
public sealed class EhrDataFormatException : FormatException
{
    /// <summary>Creates an exception that locates the problem.</summary>
    /// <param name="reason">What is wrong, in a few words.</param>
    /// <param name="filePath">The file, when known.</param>
    /// <param name="lineNumber">The 1-based line, when known.</param>
    /// <param name="patientId">The patient, when known.</param>
    /// <param name="code">The code, when known.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public EhrDataFormatException(string reason, string? filePath = null, long? lineNumber = null, string? patientId = null, string? code = null, Exception? innerException = null)
        : base(TextSafety.Printable(Compose(reason, filePath, lineNumber, patientId, code), 4_000), innerException)
    {
        Reason = reason;
        FilePath = filePath;
        LineNumber = lineNumber;
        PatientId = patientId;
        Code = code;
    }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }

    /// <summary>The file, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line (or row, for .npy), when known.</summary>
    public long? LineNumber { get; }

    /// <summary>The patient, when known.</summary>
    public string? PatientId { get; }

    /// <summary>The code, when known.</summary>
    public string? Code { get; }

    private static string Compose(string reason, string? file, long? line, string? patient, string? code)
    {
        var sb = new StringBuilder();
        if (file is not null)
        {
            sb.Append(file);
        }

        if (line is not null)
        {
            sb.Append(sb.Length > 0 ? ", " : "").Append(CultureInfo.InvariantCulture, $"line {line}");
        }

        if (patient is not null)
        {
            sb.Append(sb.Length > 0 ? ", " : "").Append(CultureInfo.InvariantCulture, $"patient '{patient}'");
        }

        if (code is not null)
        {
            sb.Append(sb.Length > 0 ? ", " : "").Append(CultureInfo.InvariantCulture, $"code '{code}'");
        }

        return sb.Length > 0 ? $"{sb}: {reason}" : reason;
    }
}
