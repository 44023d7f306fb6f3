using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using EhrSynth.Generators.IO;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// The safetensors format (an 8-byte little-endian header length, a JSON header of dtype, shape and byte offsets per
/// tensor, then the raw data), read so that nothing in the file is trusted: the header length is checked against the
/// file and <see cref="InputLimits.MaxSafetensorsHeaderBytes"/>, every tensor's dtype, shape and offsets against each
/// other and the file, and overlaps are refused — all before a byte of tensor data is allocated. Callers compare the
/// header with the model they expect (<see cref="SafetensorsHeader.Entries"/>) before reading. Writing adds
/// <c>{"__metadata__": {"format": "pt"}}</c> (which Hugging Face <c>transformers</c> checks) and pads the header to 8 bytes.
/// </summary>
public static class SafetensorsFile
{
    private static readonly Dictionary<string, int> ElementSizes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2,
        ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Reads and checks the header of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is missing.</exception>
    /// <exception cref="EhrDataFormatException">The file is malformed; the message names it and what does not add up.</exception>
    public static SafetensorsHeader ReadHeader(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} is missing.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileLength = stream.Length;
        Span<byte> prefix = stackalloc byte[8];
        if (fileLength < 8)
        {
            throw new EhrDataFormatException($"the file has {fileLength} bytes, too few for a safetensors file", path);
        }

        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)InputLimits.MaxSafetensorsHeaderBytes || headerLength > (ulong)(fileLength - 8))
        {
            throw new EhrDataFormatException(
                headerLength > (ulong)(fileLength - 8)
                    ? $"not a safetensors file: its first 8 bytes do not give a header length that fits in the file ({fileLength:N0} bytes)"
                    : $"the header would be larger than the {InputLimits.MaxSafetensorsHeaderBytes:N0} bytes allowed",
                path);
        }

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;
        var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EhrDataFormatException("the header is not a JSON object", path);
            }

            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    continue;
                }

                var entry = ParseEntry(property, dataLength, path);
                if (!entries.TryAdd(entry.Name, entry))
                {
                    throw new EhrDataFormatException($"the tensor '{TextSafety.Printable(entry.Name, 80)}' appears twice in the header", path);
                }
            }
        }
        catch (JsonException e)
        {
            throw new EhrDataFormatException($"the header is not valid JSON ({e.Message})", path, innerException: e);
        }

        long end = 0;
        foreach (var e in entries.Values.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < end)
            {
                throw new EhrDataFormatException($"the data of '{TextSafety.Printable(e.Name, 80)}' overlaps another tensor's", path);
            }

            end = e.End;
        }

        return new SafetensorsHeader(path, dataStart, entries);
    }

    /// <summary>
    /// Reads the floating-point tensors of a checked header as float32 CPU tensors (F64, F16 and BF16 are converted).
    /// </summary>
    /// <exception cref="EhrDataFormatException">A tensor is not floating point, or the file changed since the header was read.</exception>
    public static Dictionary<string, Tensor> ReadTensors(SafetensorsHeader header, IEnumerable<string>? names = null)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var stream = new FileStream(header.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (stream.Length < header.DataStart + header.Entries.Values.Select(e => e.End).DefaultIfEmpty(0).Max())
        {
            throw new EhrDataFormatException("the file is shorter than its header says (it changed while being read)", header.Path);
        }

        try
        {
            foreach (var name in names ?? header.Entries.Keys)
            {
                var e = header.Entries[name];
                var bytes = new byte[e.End - e.Begin];
                stream.Position = header.DataStart + e.Begin;
                stream.ReadExactly(bytes);
                result[name] = tensor(ToFloat(bytes, e, header.Path), e.Shape);
            }
        }
        catch
        {
            foreach (var t in result.Values)
            {
                t.Dispose();
            }

            throw;
        }

        return result;
    }

    /// <summary>Writes float32 tensors (converted to CPU and contiguous) with PyTorch metadata, atomically.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        var ordered = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key, Tensor: kv.Value.detach().to_type(ScalarType.Float32).cpu().contiguous()))
            .ToList();
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (key, t) in ordered)
        {
            long bytes = t.numel() * 4;
            header[key] = new { dtype = "F32", shape = t.shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++)
            {
                stream.WriteByte((byte)' ');
            }

            foreach (var (_, t) in ordered)
            {
                stream.Write(MemoryMarshal.AsBytes(t.data<float>().ToArray().AsSpan()));
            }
        });
    }

    private static SafetensorsEntry ParseEntry(JsonProperty property, long dataLength, string path)
    {
        string name = property.Name;
        string shown = TextSafety.Printable(name, 80);
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
        {
            throw new EhrDataFormatException($"the header entry of '{shown}' needs a dtype, a shape and two data_offsets", path);
        }

        string dtype = dtypeElement.GetString()!;
        if (!ElementSizes.TryGetValue(dtype, out int size))
        {
            throw new EhrDataFormatException($"'{shown}' has the unknown dtype '{TextSafety.Printable(dtype, 20)}'", path);
        }

        var shape = new long[shapeElement.GetArrayLength()];
        long elements = 1;
        int i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d) || d < 0)
            {
                throw new EhrDataFormatException($"'{shown}' has a shape entry that is not a non-negative integer", path);
            }

            shape[i++] = d;
            elements = d == 0 || elements == 0 ? 0 : elements > dataLength / d ? long.MaxValue : elements * d;
        }

        var offsets = offsetsElement.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.Number && o.TryGetInt64(out long v) ? v : -1).ToArray();
        long begin = offsets[0], end = offsets[1];
        if (begin < 0 || end < begin || end > dataLength)
        {
            throw new EhrDataFormatException($"'{shown}' has data_offsets [{begin}, {end}] outside the {dataLength:N0} data bytes", path);
        }

        if (elements == long.MaxValue || elements * size != end - begin)
        {
            throw new EhrDataFormatException($"'{shown}' has shape [{string.Join(", ", shape)}] of {dtype}, which does not fit its {end - begin:N0} data bytes", path);
        }

        return new SafetensorsEntry(name, dtype, shape, elements, begin, end);
    }

    private static float[] ToFloat(byte[] bytes, SafetensorsEntry e, string path)
    {
        switch (e.DType)
        {
            case "F32":
                return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            case "F64":
                return [.. MemoryMarshal.Cast<byte, double>(bytes).ToArray().Select(v => (float)v)];
            case "F16":
                return [.. MemoryMarshal.Cast<byte, Half>(bytes).ToArray().Select(v => (float)v)];
            case "BF16":
                var raw = MemoryMarshal.Cast<byte, ushort>(bytes);
                var result = new float[raw.Length];
                for (int i = 0; i < raw.Length; i++)
                {
                    result[i] = BitConverter.Int32BitsToSingle(raw[i] << 16);
                }

                return result;
            default:
                throw new EhrDataFormatException($"'{TextSafety.Printable(e.Name, 80)}' is {e.DType}; model weights must be floating point (F32, F16, BF16 or F64)", path);
        }
    }
}
