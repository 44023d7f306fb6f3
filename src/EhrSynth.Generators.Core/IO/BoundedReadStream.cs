namespace EhrSynth.Generators.IO;

/// <summary>
/// A read-only view of a decompressing stream that refuses to produce more than a set number of bytes (a zip or gzip
/// bomb then fails with a clear error instead of filling memory or disk).
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit, string name) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new EhrDataFormatException($"the compressed data is corrupt ({e.Message})", name, innerException: e);
        }

        _read += n;
        if (_read > limit)
        {
            throw new EhrDataFormatException($"it decompresses to more than {limit:N0} bytes; refused as a likely decompression bomb", name);
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
