using System.Text.Json;

namespace EhrSynth.Generators.IO;

/// <summary>
/// The <c>.ehrsynth-output.json</c> file that every folder written by <see cref="AtomicFile.WriteDirectory"/> holds: the
/// list of files the library wrote there. A folder is the library's own — and may be replaced or removed by it — only
/// when it holds exactly those files; anything else in it belongs to somebody else.
/// </summary>
internal static class OutputMarker
{
    public const string FileName = ".ehrsynth-output.json";

    private const string Writer = "EhrSynth.Generators";

    private const int MaxMarkerBytes = 16 << 20;

    /// <summary>Writes the marker listing every file under <paramref name="folder"/> (written last: its presence means complete).</summary>
    public static void Write(string folder)
    {
        var files = FileSystemLinks.Walk(folder)
            .Where(e => e.Kind == FileSystemEntryKind.File && e.Relative != FileName)
            .Select(e => e.Relative)
            .Order(StringComparer.Ordinal)
            .ToList();
        string path = Path.Combine(folder, FileName);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        JsonSerializer.Serialize(stream, new Marker(Writer, 1, files));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The files the marker lists, or <see langword="null"/> when there is no readable marker.</summary>
    public static IReadOnlyList<string>? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxMarkerBytes)
            {
                return null;
            }

            var marker = JsonSerializer.Deserialize<Marker>(File.ReadAllBytes(path));
            return marker is { Writer: Writer, Files: { } files } && files.All(f => f is not null && IsSafeRelative(f)) ? files : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// What in <paramref name="folder"/> the library did not write: every entry when there is no marker, else the files
    /// and folders the marker does not account for, and every symbolic link (the library never creates one; links are
    /// listed, never entered). Empty means the folder is the library's own.
    /// </summary>
    public static List<string> Foreign(string folder)
    {
        var listed = Read(folder);
        var foreign = new List<string>();
        if (listed is null)
        {
            foreign.AddRange(Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal).Select(e => Describe(Path.GetFileName(e), FileSystemLinks.Kind(e))));
            return foreign;
        }

        var files = new HashSet<string>(listed, StringComparer.Ordinal) { FileName };
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in listed)
        {
            for (int slash = f.LastIndexOf('/'); slash > 0; slash = f.LastIndexOf('/', slash - 1))
            {
                folders.Add(f[..slash]);
            }
        }

        foreach (var (rel, kind) in FileSystemLinks.Walk(folder))
        {
            bool ours = kind switch
            {
                FileSystemEntryKind.File => files.Contains(rel),
                FileSystemEntryKind.Folder => folders.Contains(rel),
                _ => false,
            };
            if (!ours)
            {
                foreign.Add(Describe(rel, kind));
            }
        }

        return foreign;
    }

    /// <summary>
    /// Why the files the marker of <paramref name="folder"/> lists cannot all be deleted safely — the folder is a link,
    /// holds something the library did not write (<see cref="Foreign"/>), or a listed path passes through a link — or
    /// <see langword="null"/> when they can.
    /// </summary>
    public static string? DeletionProblem(string folder)
    {
        if (FileSystemLinks.Kind(folder) != FileSystemEntryKind.Folder)
        {
            return "it is a symbolic link, not a folder EhrSynth wrote";
        }

        if (Foreign(folder) is { Count: > 0 } foreign)
        {
            return $"it holds what EhrSynth did not write ({Shown(foreign)})";
        }

        foreach (var f in Read(folder) ?? [])
        {
            if (FileSystemLinks.ProblemInside(folder, f) is { } problem)
            {
                return $"its marker lists {problem}";
            }
        }

        return null;
    }

    /// <summary>
    /// Deletes the files the marker lists, the marker, and the folders left empty; anything else stays. Nothing is
    /// deleted unless every listed path lies inside <paramref name="folder"/> through real folders
    /// (<see cref="DeletionProblem"/>); each path is checked again right before it is deleted.
    /// </summary>
    /// <exception cref="OutputConflictException">Deleting would pass through a link or touch what the library did not write.</exception>
    public static void DeleteOwned(string folder)
    {
        if (DeletionProblem(folder) is { } problem)
        {
            throw new OutputConflictException(folder, $"was not deleted: {problem}. Nothing was deleted; remove it yourself if it is yours");
        }

        foreach (var f in Read(folder) ?? [])
        {
            if (FileSystemLinks.ProblemInside(folder, f) is null)
            {
                TryDeleteFile(Path.Combine(folder, f.Replace('/', Path.DirectorySeparatorChar)));
            }
        }

        TryDeleteFile(Path.Combine(folder, FileName));
        DeleteEmptyFolders(folder);
    }

    /// <summary>How a list of what is in the way is shown in a message: the first five, then a count.</summary>
    public static string Shown(IReadOnlyList<string> entries) =>
        string.Join(", ", entries.Take(5)) + (entries.Count > 5 ? $" and {entries.Count - 5} more" : "");

    private static string Describe(string relative, FileSystemEntryKind kind) => kind switch
    {
        FileSystemEntryKind.Folder => relative + "/",
        FileSystemEntryKind.Link => relative + " (a symbolic link)",
        _ => relative,
    };

    private static void DeleteEmptyFolders(string folder)
    {
        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            if (FileSystemLinks.Kind(sub) == FileSystemEntryKind.Folder)
            {
                DeleteEmptyFolders(sub);                        // a link is never entered (nor removed)
            }
        }

        if (!Directory.EnumerateFileSystemEntries(folder).Any())
        {
            try
            {
                Directory.Delete(folder);
            }
            catch (IOException)
            {
            }
        }
    }

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

    private static bool IsSafeRelative(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && !path.Split('/').Any(part => part is "" or "." or "..");

    private sealed record Marker(string Writer, int Version, IReadOnlyList<string> Files);
}
