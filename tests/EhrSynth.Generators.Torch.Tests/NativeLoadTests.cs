using EhrSynth.Generators.Generation;
using TorchSharp;

namespace EhrSynth.Generators.Torch.Tests;

/// <summary>
/// libLibTorchSharp.so needs GLIBCXX_3.4.32, which Debian 12 lacks; the build marks it weak (README, Troubleshooting).
/// Without that fix the first tensor operation throws TypeInitializationException.
/// </summary>
public class NativeLoadTests
{
    [Fact]
    public void TensorOperation_RunsOnThisMachine()
    {
        using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        using var b = a.matmul(a.t());
        Assert.Equal([5f, 14f, 14f, 50f], b.data<float>().ToArray());
    }

    [Fact]
    public void Device_AutoResolvesToCudaWhenPresent_ElseCpu()
    {
        string expected = TorchDevices.IsCudaAvailable ? "cuda:0" : "cpu";
        Assert.Equal(expected, TorchDevices.Describe(ComputeDevice.Auto));
        Assert.Equal("cpu", TorchDevices.Describe(ComputeDevice.Cpu));
    }

    [Fact]
    public void Device_Cuda_ResolvesWhenPresent_ElseIsAClearError()
    {
        if (TorchDevices.IsCudaAvailable)
        {
            Assert.Equal("cuda:0", TorchDevices.Describe(ComputeDevice.Cuda(0)));
            var tooHigh = Assert.Throws<DeviceUnavailableException>(() => TorchDevices.Describe(ComputeDevice.Cuda(torch.cuda.device_count())));
            Assert.Contains("CUDA device(s) exist", tooHigh.Message, StringComparison.Ordinal);
            return;
        }

        var e = Assert.Throws<DeviceUnavailableException>(() => TorchDevices.Describe(ComputeDevice.Cuda()));
        Assert.Contains("CUDA is not available", e.Message, StringComparison.Ordinal);
        Assert.Contains("TorchSharp-cuda", e.Message, StringComparison.Ordinal);
        Assert.Equal(ComputeDevice.Cuda(), e.Device);
    }

    [Fact]
    public void LibTorchSharpInOutput_HasWeakGlibcxxRequirement()
    {
        var so = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        Assert.True(File.Exists(so), $"{so} is missing");
        var bytes = File.ReadAllBytes(so);
        // The requirement is either absent (a newer TorchSharp) or carries VER_FLG_WEAK (2) in its vernaux flags.
        int at = IndexOf(bytes, "GLIBCXX_3.4.32\0"u8);
        Assert.True(at >= 0, "the version string is expected in the dynamic string table");
        Assert.True(WeakFlagSet(bytes), "GLIBCXX_3.4.32 must be marked weak");
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);

    private static bool WeakFlagSet(byte[] d)
    {
        // Walk SHT_GNU_verneed entries (ELF64 LE) as the build task does, independently of it.
        long shoff = BitConverter.ToInt64(d, 0x28);
        int shentsize = BitConverter.ToUInt16(d, 0x3A), shnum = BitConverter.ToUInt16(d, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + ((long)i * shentsize);
            if (BitConverter.ToUInt32(d, (int)sh + 4) != 0x6ffffffe)
            {
                continue;
            }

            long vn = BitConverter.ToInt64(d, (int)sh + 24);
            int link = BitConverter.ToInt32(d, (int)sh + 40);
            long strtab = BitConverter.ToInt64(d, (int)(shoff + ((long)link * shentsize)) + 24);
            while (true)
            {
                int count = BitConverter.ToUInt16(d, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(d, (int)vn + 8);
                for (int k = 0; k < count; k++)
                {
                    long name = strtab + BitConverter.ToUInt32(d, (int)aux + 8);
                    if (d.AsSpan((int)name).StartsWith("GLIBCXX_3.4.32\0"u8))
                    {
                        return (BitConverter.ToUInt16(d, (int)aux + 4) & 2) != 0;
                    }

                    aux += BitConverter.ToUInt32(d, (int)aux + 12);
                }

                uint next = BitConverter.ToUInt32(d, (int)vn + 12);
                if (next == 0)
                {
                    return false;
                }

                vn += next;
            }
        }

        return false;
    }
}
