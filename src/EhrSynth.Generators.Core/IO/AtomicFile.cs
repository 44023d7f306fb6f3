using System.Text.RegularExpressions;

namespace EhrSynth.Generators.IO;

/// <summary>
/// Writes files and folders so that an output appears whole or not at all, and nothing the library did not create is
/// ever deleted or overwritten.
/// </summary>
/// <remarks>
/// <para>
/// Content goes to a hidden temporary sibling (<c>.name.&lt;guid&gt;.ehrsynth-tmp</c>) and is renamed into place only
/// when complete. A temporary sibling left behind by a killed process is removed by the next write of the same output.
/// </para>
/// <para>
/// Files: an existing file is replaced only with <c>overwrite: true</c>; a folder where the file should go is refused.
/// Folders: every folder written here holds a marker (<c>.ehrsynth-output.json</c>) listing its files. An existing
/// folder is replaced only when it is empty or holds exactly the files its marker lists; otherwise the write is refused
/// with <see cref="OutputConflictException"/> naming what is in the way, before any work. Replacing moves the old
/// folder aside, moves the new one in, and then deletes only the files the old marker listed. If the process dies
/// between the two moves, <see cref="RecoverDirectory"/> (run by every folder write) puts the complete folder back.
/// </para>
/// </remarks>
public static partial class AtomicFile
{
    private const string TempSuffix = ".ehrsynth-tmp";
    private const string OldSuffix = ".ehrsynth-old";

    /// <summary>Writes a file through a temporary sibling and an atomic rename.</summary>
    /// <param name="path">The final path.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <param name="overwrite">Replace an existing file. The default value is <see langword="false"/>: an existing file is refused.</param>
    /// <exception cref="OutputConflictException">The path is a folder, or an existing file without <paramref name="overwrite"/>.</exception>
    public static void Write(string path, Action<Stream> write, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = CheckFileTarget(path, overwrite);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        RemoveStaleSiblings(full, TempSuffix, directories: false);
        string tmp = SiblingName(full, TempSuffix);
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            if (!overwrite && File.Exists(full))
            {
                throw new OutputConflictException(full, "the file appeared while it was being written; it was left as it is");
            }

            File.Move(tmp, full, overwrite);
        }
        catch
        {
            TryDeleteFile(tmp);
            throw;
        }
    }

    /// <summary>Writes a text file atomically (UTF-8 without BOM, LF line ends).</summary>
    /// <inheritdoc cref="Write(string, Action{Stream}, bool)"/>
    public static void WriteText(string path, Action<TextWriter> write, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        }, overwrite);
    }

    /// <summary>Checks, before any work, that <see cref="Write"/> would accept <paramref name="path"/>; returns the full path.</summary>
    /// <exception cref="OutputConflictException">The path is a folder, or an existing file without <paramref name="overwrite"/>.</exception>
    public static string CheckFileTarget(string path, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new OutputConflictException(full, "is a folder; a file was expected");
        }

        if (!overwrite && File.Exists(full))
        {
            throw new OutputConflictException(full, "already exists and was left as it is (allow overwriting to replace it)");
        }

        if (Path.GetDirectoryName(full) is { } dir && File.Exists(dir))
        {
            throw new OutputConflictException(full, $"its folder {dir} is a file");
        }

        return full;
    }

    /// <summary>
    /// Writes a folder through a temporary sibling, then swaps it into place. An existing folder at
    /// <paramref name="path"/> is replaced only when it is empty or was written by this method and holds nothing else.
    /// </summary>
    /// <param name="path">The final folder.</param>
    /// <param name="write">Fills the (temporary, empty) folder it is given.</param>
    /// <exception cref="OutputConflictException">The path is a file, or a folder holding files the library did not write.</exception>
    public static void WriteDirectory(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = CheckDirectoryTarget(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        RemoveStaleSiblings(full, TempSuffix, directories: true);
        string tmp = SiblingName(full, TempSuffix);
        Directory.CreateDirectory(tmp);
        try
        {
            write(tmp);
            OutputMarker.Write(tmp);
            Swap(tmp, full);
        }
        catch
        {
            TryDeleteTree(tmp);
            throw;
        }

        RemoveStaleSiblings(full, OldSuffix, directories: true);
    }

    /// <summary>
    /// Checks, before any work, that <see cref="WriteDirectory"/> would accept <paramref name="path"/>; returns the full
    /// path. A folder left half-swapped by a killed process is recovered first.
    /// </summary>
    /// <exception cref="OutputConflictException">The path is a file, or a folder holding files the library did not write.</exception>
    public static string CheckDirectoryTarget(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Path.GetDirectoryName(full) is not { Length: > 0 })
        {
            throw new OutputConflictException(full, "is the root of a file system; choose a folder inside it");
        }

        if (File.Exists(full))
        {
            throw new OutputConflictException(full, "is a file; a folder was expected");
        }

        RecoverDirectory(full);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            var foreign = OutputMarker.Foreign(full);
            if (foreign.Count > 0)
            {
                string shown = string.Join(", ", foreign.Take(5)) + (foreign.Count > 5 ? $" and {foreign.Count - 5} more" : "");
                throw new OutputConflictException(full, $"the folder holds files EhrSynth did not write ({shown}); they were left as they are. Choose a new or empty folder");
            }
        }

        return full;
    }

    /// <summary>
    /// When <paramref name="path"/> is missing because a process died while swapping it, puts the complete folder back
    /// (the new one when it was complete, else the old one). Returns whether it recovered anything.
    /// </summary>
    public static bool RecoverDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Directory.Exists(full) || File.Exists(full) || Path.GetDirectoryName(full) is not { } parent || !Directory.Exists(parent))
        {
            return false;
        }

        var complete = Siblings(full, TempSuffix, directories: true).Concat(Siblings(full, OldSuffix, directories: true))
            .Where(d => OutputMarker.Read(d) is not null && OutputMarker.Foreign(d).Count == 0)
            .OrderByDescending(d => d.EndsWith(TempSuffix, StringComparison.Ordinal))      // the newer copy first
            .ThenByDescending(d => Directory.GetLastWriteTimeUtc(d))
            .FirstOrDefault();
        if (complete is null)
        {
            return false;
        }

        Directory.Move(complete, full);
        return true;
    }

    private static void Swap(string tmp, string full)
    {
        if (!Directory.Exists(full))
        {
            Directory.Move(tmp, full);
            return;
        }

        if (!Directory.EnumerateFileSystemEntries(full).Any())
        {
            Directory.Delete(full);                    // empty: nothing is lost; fails if something appeared meanwhile
            Directory.Move(tmp, full);
            return;
        }

        if (OutputMarker.Foreign(full) is { Count: > 0 } foreign)
        {
            throw new OutputConflictException(full, $"the folder holds files EhrSynth did not write ({string.Join(", ", foreign.Take(5))}); they were left as they are");
        }

        string old = SiblingName(full, OldSuffix);
        Directory.Move(full, old);
        Directory.Move(tmp, full);
        OutputMarker.DeleteOwned(old);
    }

    /// <summary>Removes temporary siblings of <paramref name="full"/> that a killed process left behind (ours by their name).</summary>
    private static void RemoveStaleSiblings(string full, string suffix, bool directories)
    {
        foreach (var sibling in Siblings(full, suffix, directories))
        {
            if (!directories)
            {
                TryDeleteFile(sibling);
            }
            else if (suffix == OldSuffix)
            {
                OutputMarker.DeleteOwned(sibling);
            }
            else
            {
                TryDeleteTree(sibling);
            }
        }
    }

    private static IEnumerable<string> Siblings(string full, string suffix, bool directories)
    {
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
        {
            return [];
        }

        string prefix = "." + Path.GetFileName(full) + ".";
        var found = directories ? Directory.EnumerateDirectories(dir) : Directory.EnumerateFiles(dir);
        return found.Where(p =>
        {
            string name = Path.GetFileName(p);
            return name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(suffix, StringComparison.Ordinal)
                && GuidPart().IsMatch(name.AsSpan(prefix.Length, name.Length - prefix.Length - suffix.Length));
        }).ToList();
    }

    private static string SiblingName(string full, string suffix) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}{suffix}");

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void TryDeleteTree(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex GuidPart();
}
