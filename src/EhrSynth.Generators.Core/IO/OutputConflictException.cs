namespace EhrSynth.Generators.IO;

/// <summary>
/// An output was refused because writing it would delete or overwrite something the library did not create: a file
/// that already exists (without <c>overwrite</c>), a folder that holds foreign files, or a path of the wrong kind (a
/// folder where a file goes, or the reverse). Nothing was changed.
/// </summary>
public sealed class OutputConflictException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The refused output path.</param>
    /// <param name="reason">Why, in a few words (the message is "<paramref name="path"/>: <paramref name="reason"/>").</param>
    public OutputConflictException(string path, string reason)
        : base($"{path}: {reason}")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The refused output path.</summary>
    public string Path { get; }

    /// <summary>Why it was refused.</summary>
    public string Reason { get; }
}
