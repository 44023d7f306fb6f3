namespace EhrSynth.Generators.IO;

/// <summary>
/// Looks at a folder tree without following symbolic links or junctions, as <c>rm -r</c> and <c>git clean</c> do. The
/// library never creates a link, so a link inside one of its outputs was put there by somebody else: these helpers
/// report it instead of walking through it.
/// </summary>
internal static class FileSystemLinks
{
    /// <summary>What <paramref name="path"/> itself is, without following it when it is a link.</summary>
    public static FileSystemEntryKind Kind(string path)
    {
        var info = new FileInfo(path);
        var attributes = info.Attributes;                     // lstat on Unix: a link reports ReparsePoint
        if ((int)attributes == -1)
        {
            return FileSystemEntryKind.Missing;
        }

        if (info.LinkTarget is not null || (attributes & FileAttributes.ReparsePoint) != 0 && (attributes & FileAttributes.Directory) != 0)
        {
            return FileSystemEntryKind.Link;
        }

        return (attributes & FileAttributes.Directory) != 0 ? FileSystemEntryKind.Folder : FileSystemEntryKind.File;
    }

    /// <summary>Whether <paramref name="path"/> is a symbolic link or a junction.</summary>
    public static bool IsLink(string path) => Kind(path) == FileSystemEntryKind.Link;

    /// <summary>
    /// Every entry under <paramref name="folder"/>, as a path relative to it with <c>/</c> separators, and its kind.
    /// Real folders are entered; links are listed and never entered.
    /// </summary>
    public static IEnumerable<(string Relative, FileSystemEntryKind Kind)> Walk(string folder)
    {
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.Count > 0)
        {
            string relative = pending.Pop();
            string current = relative.Length == 0 ? folder : Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));
            foreach (var entry in Directory.EnumerateFileSystemEntries(current).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(entry);
                string rel = relative.Length == 0 ? name : relative + "/" + name;
                var kind = Kind(entry);
                yield return (rel, kind);
                if (kind == FileSystemEntryKind.Folder)
                {
                    pending.Push(rel);
                }
            }
        }
    }

    /// <summary>
    /// Checks that <paramref name="relative"/> (with <c>/</c> separators) names a regular file reached from
    /// <paramref name="folder"/> through real folders only, so that deleting it cannot touch anything outside
    /// <paramref name="folder"/>. Returns the reason when it does not, else <see langword="null"/>; a missing file is fine.
    /// </summary>
    public static string? ProblemInside(string folder, string relative)
    {
        string current = folder;
        var parts = relative.Split('/');
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] is "" or "." or ".." || Path.IsPathRooted(parts[i]) || parts[i].Contains(Path.DirectorySeparatorChar) || parts[i].Contains(Path.AltDirectorySeparatorChar))
            {
                return $"'{relative}' is not a plain path inside the folder";
            }

            current = Path.Combine(current, parts[i]);
            var kind = Kind(current);
            bool last = i == parts.Length - 1;
            switch (kind)
            {
                case FileSystemEntryKind.Missing:
                    return null;
                case FileSystemEntryKind.Link:
                    return $"'{string.Join('/', parts[..(i + 1)])}' is a symbolic link";
                case FileSystemEntryKind.Folder when last:
                    return $"'{relative}' is a folder, not a file";
                case FileSystemEntryKind.File when !last:
                    return $"'{string.Join('/', parts[..(i + 1)])}' is a file, not a folder";
            }
        }

        string full = Path.GetFullPath(current);
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal) ? null : $"'{relative}' resolves outside the folder";
    }

    /// <summary>
    /// The real path that <paramref name="path"/> names when its last component is a link (followed to its final
    /// target, relative targets resolved), else <paramref name="path"/> itself.
    /// </summary>
    /// <exception cref="OutputConflictException">The link cannot be resolved (a loop, or too many levels).</exception>
    public static string FollowLast(string path)
    {
        if (Kind(path) != FileSystemEntryKind.Link)
        {
            return path;
        }

        try
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? path : Path.TrimEndingDirectorySeparator(Path.GetFullPath(target.FullName));
        }
        catch (IOException e)
        {
            throw new OutputConflictException(path, $"is a symbolic link that cannot be followed ({e.Message})");
        }
    }

    /// <summary>
    /// Deletes <paramref name="folder"/> and everything in it without following links: a link inside is removed as a
    /// name, never entered. A <paramref name="folder"/> that is itself a link is left alone. Failures are ignored.
    /// </summary>
    public static void DeleteTreeNoFollow(string folder)
    {
        if (Kind(folder) != FileSystemEntryKind.Folder)
        {
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(folder).ToList())
        {
            if (Kind(entry) == FileSystemEntryKind.Folder)
            {
                DeleteTreeNoFollow(entry);
            }
            else if (OperatingSystem.IsWindows() && Directory.Exists(entry))
            {
                TryDelete(() => Directory.Delete(entry));       // a junction or a link to a folder: removes the name only
            }
            else
            {
                TryDelete(() => File.Delete(entry));            // unlink: a link is removed, its target is not touched
            }
        }

        TryDelete(() => Directory.Delete(folder));
    }

    private static void TryDelete(Action delete)
    {
        try
        {
            delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
