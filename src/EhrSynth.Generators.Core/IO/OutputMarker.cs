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
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Relative(folder, f))
            .Where(f => f != FileName)
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
    /// and folders the marker does not account for. Empty means the folder is the library's own.
    /// </summary>
    public static List<string> Foreign(string folder)
    {
        var listed = Read(folder);
        var foreign = new List<string>();
        if (listed is null)
        {
            foreign.AddRange(Directory.EnumerateFileSystemEntries(folder).Select(e => Path.GetFileName(e) + (Directory.Exists(e) ? "/" : "")));
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

        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
        {
            string rel = Relative(folder, entry);
            bool isFolder = Directory.Exists(entry);
            if (isFolder ? !folders.Contains(rel) : !files.Contains(rel))
            {
                foreign.Add(rel + (isFolder ? "/" : ""));
            }
        }

        return foreign;
    }

    /// <summary>Deletes the files the marker lists, the marker, and the folders left empty; anything else stays.</summary>
    public static void DeleteOwned(string folder)
    {
        foreach (var f in Read(folder) ?? [])
        {
            TryDeleteFile(Path.Combine(folder, f.Replace('/', Path.DirectorySeparatorChar)));
        }

        TryDeleteFile(Path.Combine(folder, FileName));
        DeleteEmptyFolders(folder);
    }

    private static void DeleteEmptyFolders(string folder)
    {
        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            DeleteEmptyFolders(sub);
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

    private static string Relative(string folder, string path) =>
        Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');

    private static bool IsSafeRelative(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && !path.Split('/').Any(part => part is "" or "." or "..");

    private sealed record Marker(string Writer, int Version, IReadOnlyList<string> Files);
}
