using System.Buffers.Binary;
using System.Text;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch.Tests;

public class SafetensorsFileTests
{
    [Fact]
    public void WriteThenRead_RoundTrips_AndAgreesWithAnIndependentImplementation()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["a.weight"] = arange(6, dtype: ScalarType.Float32).reshape(2, 3),
            ["a.bias"] = tensor(new[] { -1.5f, 2.25f }),
            ["scalar"] = tensor(7f),
        };
        SafetensorsFile.Write(dir.File("ours.safetensors"), tensors);
        var header = SafetensorsFile.ReadHeader(dir.File("ours.safetensors"));
        Assert.Equal([2L, 3], header.Entries["a.weight"].Shape);
        Assert.Equal(6 + 2 + 1, header.TotalElements);
        var ours = SafetensorsFile.ReadTensors(header);
        var theirs = Safetensors.LoadStateDict(dir.File("ours.safetensors"));
        foreach (var (key, value) in tensors)
        {
            Assert.Equal(value.data<float>().ToArray(), ours[key].data<float>().ToArray());
            Assert.Equal(value.data<float>().ToArray(), theirs[key].data<float>().ToArray());
        }

        // A file written by the other implementation, with F16 and BF16 tensors, reads as float32.
        Safetensors.SaveStateDict(dir.File("theirs.safetensors"), new Dictionary<string, Tensor>
        {
            ["h"] = tensor(new[] { 0.5f, -2f }).to_type(ScalarType.Float16),
            ["b"] = tensor(new[] { 3f, 0.25f }).to_type(ScalarType.BFloat16),
        });
        var read = SafetensorsFile.ReadTensors(SafetensorsFile.ReadHeader(dir.File("theirs.safetensors")));
        Assert.Equal([0.5f, -2f], read["h"].data<float>().ToArray());
        Assert.Equal([3f, 0.25f], read["b"].data<float>().ToArray());
    }

    [Theory]
    [InlineData("length past the file", "not a safetensors file: its first 8 bytes do not give a header length that fits")]
    [InlineData("header not JSON", "not valid JSON")]
    [InlineData("shape too big for its bytes", "does not fit its")]
    [InlineData("offsets past the data", "outside the")]
    [InlineData("overlapping tensors", "overlaps")]
    [InlineData("unknown dtype", "unknown dtype")]
    [InlineData("integer weights", "must be floating point")]
    [InlineData("too short", "too few")]
    public void Read_RefusesWhatDoesNotAddUp_BeforeAllocating(string corruption, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.safetensors");
        string header = corruption switch
        {
            "shape too big for its bytes" => """{"a":{"dtype":"F32","shape":[100000,100000],"data_offsets":[0,16]}}""",
            "offsets past the data" => """{"a":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}""",
            "overlapping tensors" => """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            "unknown dtype" => """{"a":{"dtype":"Q99","shape":[4],"data_offsets":[0,16]}}""",
            "integer weights" => """{"a":{"dtype":"I32","shape":[4],"data_offsets":[0,16]}}""",
            "header not JSON" => "#not json at all",
            _ => """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""",
        };
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + 16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, corruption == "length past the file" ? 1UL << 30 : (ulong)json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(path, corruption == "too short" ? bytes[..5] : bytes);

        var e = Assert.Throws<EhrDataFormatException>(() => SafetensorsFile.ReadTensors(SafetensorsFile.ReadHeader(path)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("w.safetensors", e.Message, StringComparison.Ordinal);
    }
}
