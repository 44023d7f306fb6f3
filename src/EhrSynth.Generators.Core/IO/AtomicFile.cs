namespace EhrSynth.Generators.IO;

/// <summary>
/// Writes files and folders so that an interrupted write never leaves a partial result: the content goes to a
/// temporary sibling first and is renamed into place only when complete.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes a file through a temporary sibling and an atomic rename (replacing an existing file).</summary>
    /// <param name="path">The final path.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        string tmp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Writes a text file atomically (UTF-8 without BOM, LF line ends).</summary>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        });
    }

    /// <summary>
    /// Writes a folder through a temporary sibling folder, then swaps it into place. An existing folder at
    /// <paramref name="path"/> is replaced only after the new one is complete.
    /// </summary>
    /// <param name="path">The final folder.</param>
    /// <param name="write">Fills the (temporary) folder it is given.</param>
    public static void WriteDirectory(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string? parent = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(parent))
        {
            Directory.CreateDirectory(parent);
        }

        string tmp = $"{full}.{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(tmp);
        try
        {
            write(tmp);
            if (Directory.Exists(full))
            {
                string old = $"{full}.{Guid.NewGuid():N}.old";
                Directory.Move(full, old);
                Directory.Move(tmp, full);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(tmp, full);
            }
        }
        catch
        {
            if (Directory.Exists(tmp))
            {
                try
                {
                    Directory.Delete(tmp, recursive: true);
                }
                catch (IOException)
                {
                }
            }

            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
