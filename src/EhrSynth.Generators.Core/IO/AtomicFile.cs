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
/// <para>
/// Links: the library never creates a symbolic link or junction, and never deletes through one. A link inside an
/// output folder makes the folder not the library's own (refused, naming the link); every path a marker lists is
/// checked component by component, without following links, to lie inside the folder before anything is deleted;
/// a hidden leftover sibling that is a link is left alone, and one whose content fails the check refuses the write
/// before any work. A link given as the output path itself is followed: the output lands in the link's target, and
/// the link stays.
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
        string tmp = SiblingName(full, TempSuffix);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            RemoveStaleSiblings(full, TempSuffix, directories: false);
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
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not OutputConflictException)
        {
            TryDeleteFile(tmp);
            throw FileSystemFailure(full, tmp, e);
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
        string full = FileSystemLinks.FollowLast(Path.GetFullPath(path));
        if (Directory.Exists(full))
        {
            throw new OutputConflictException(full, "is a folder; a file was expected");
        }

        if (!overwrite && File.Exists(full))
        {
            throw new OutputConflictException(full, "already exists and was left as it is (allow overwriting to replace it)");
        }

        CheckAncestors(full);
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
        string tmp = SiblingName(full, TempSuffix);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            RemoveStaleSiblings(full, TempSuffix, directories: true);
            Directory.CreateDirectory(tmp);
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not OutputConflictException)
        {
            throw FileSystemFailure(full, tmp, e);
        }

        try
        {
            write(tmp);
            OutputMarker.Write(tmp);
            Swap(tmp, full);
        }
        catch
        {
            FileSystemLinks.DeleteTreeNoFollow(tmp);
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
        string full = FileSystemLinks.FollowLast(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        if (Path.GetDirectoryName(full) is not { Length: > 0 })
        {
            throw new OutputConflictException(full, "is the root of a file system; choose a folder inside it");
        }

        if (File.Exists(full))
        {
            throw new OutputConflictException(full, "is a file; a folder was expected");
        }

        CheckAncestors(full);
        foreach (var stale in Siblings(full, OldSuffix, directories: true))
        {
            if (OutputMarker.DeletionProblem(stale) is { } problem)
            {
                throw new OutputConflictException(full, $"a hidden folder beside it, {Path.GetFileName(stale)}, looks like an earlier EhrSynth output left behind, but {problem}; nothing was deleted. Remove it yourself if it is yours, or choose another output");
            }
        }

        RecoverDirectory(full);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            var foreign = OutputMarker.Foreign(full);
            if (foreign.Count > 0)
            {
                throw new OutputConflictException(full, $"the folder holds files EhrSynth did not write ({OutputMarker.Shown(foreign)}); they were left as they are. Choose a new or empty folder");
            }
        }

        return full;
    }

    /// <summary>Refuses a path whose nearest existing ancestor is a file (<c>existing.csv/model</c>).</summary>
    private static void CheckAncestors(string full)
    {
        for (string? dir = Path.GetDirectoryName(full); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir))
            {
                return;
            }

            if (File.Exists(dir))
            {
                throw new OutputConflictException(full, $"{dir} is a file, so nothing can be written under it");
            }
        }
    }

    /// <summary>A file-system failure while writing an output, naming the output rather than its temporary sibling.</summary>
    private static IOException FileSystemFailure(string full, string tmp, Exception e) =>
        new($"{full}: could not be written: {e.Message.Replace(tmp, full, StringComparison.Ordinal)}", e);

    /// <summary>
    /// When <paramref name="path"/> is missing because a process died while swapping it, puts the complete folder back
    /// (the new one when it was complete, else the old one). Returns whether it recovered anything.
    /// </summary>
    public static bool RecoverDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = FileSystemLinks.FollowLast(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        if (Directory.Exists(full) || File.Exists(full) || FileSystemLinks.IsLink(full) || Path.GetDirectoryName(full) is not { } parent || !Directory.Exists(parent))
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
                if (OutputMarker.DeletionProblem(sibling) is null)    // refused before any work otherwise (CheckDirectoryTarget)
                {
                    OutputMarker.DeleteOwned(sibling);
                }
            }
            else
            {
                FileSystemLinks.DeleteTreeNoFollow(sibling);          // a killed write's half folder: links in it are removed, never entered
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
                && GuidPart().IsMatch(name.AsSpan(prefix.Length, name.Length - prefix.Length - suffix.Length))
                && !FileSystemLinks.IsLink(p);                        // the library never makes a link: one is left alone
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

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex GuidPart();
}
