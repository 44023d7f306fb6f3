using System.IO.Compression;
using System.Text;

namespace EhrSynth.Generators.IO;

/// <summary>Opening input files (plain or gzip) and writing output files atomically.</summary>
internal static class DataFiles
{
    /// <summary>Opens a text file for reading; <c>.gz</c> files are decompressed. A missing file is a clear error.</summary>
    public static TextReader OpenText(string path, CancellationToken cancellationToken = default)
    {
        Stream stream = OpenRead(path, cancellationToken);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            stream = new BoundedReadStream(new GZipStream(stream, CompressionMode.Decompress), InputLimits.MaxUncompressedBytes, path);
        }

        return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    /// <summary>
    /// Opens a file for reading. Opening a named pipe (FIFO) blocks until somebody writes to it, so the open runs on a
    /// worker and waits with <paramref name="cancellationToken"/>: Ctrl+C ends the wait (the worker, still blocked in
    /// the operating system, closes what it opens if a writer ever comes).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting for the file to open.</exception>
    public static FileStream OpenRead(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"File not found: {path}", path);
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return Open(path);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var open = Task.Factory.StartNew(() => Open(path), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return open.WaitAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            _ = open.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }

        static FileStream Open(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    /// <summary>
    /// Finds <paramref name="baseName"/>.csv or .csv.gz in a folder, in any letter case.
    /// </summary>
    public static string FindTable(string folder, string baseName)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Folder not found: {folder}");
        }

        foreach (var ext in new[] { ".csv", ".csv.gz" })
        {
            var match = Directory.EnumerateFiles(folder)
                .FirstOrDefault(f => Path.GetFileName(f).Equals(baseName + ext, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match;
            }
        }

        throw new FileNotFoundException($"{baseName}.csv (or .csv.gz) not found in {folder}.", Path.Combine(folder, baseName + ".csv"));
    }
}
