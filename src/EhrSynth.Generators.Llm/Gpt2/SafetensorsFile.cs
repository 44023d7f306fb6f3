using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using EhrSynth.Generators.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Gpt2;

/// <summary>
/// Safetensors files: reading goes through TorchSharp.PyBridge (no pickle, no code runs); writing is done here so the
/// header carries <c>{"__metadata__": {"format": "pt"}}</c>, which Hugging Face <c>transformers</c> checks, and is padded
/// to 8 bytes like the reference writer.
/// </summary>
internal static class SafetensorsFile
{
    public static Dictionary<string, Tensor> Read(string path) => Safetensors.LoadStateDict(path);

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
                var data = t.data<float>().ToArray();
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
            }
        });
    }
}
