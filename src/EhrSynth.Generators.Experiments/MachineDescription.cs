using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EhrSynth.Generators.Experiments;

/// <summary>
/// Which machine produced a result: floating-point results (and so trained models) depend on the CPU's instruction set
/// and the thread count, so every report records them.
/// </summary>
public static class MachineDescription
{
    /// <summary>The CPU model, as the operating system names it (Linux: <c>/proc/cpuinfo</c>), or the architecture.</summary>
    public static string CpuModel { get; } = ReadCpuModel();

    /// <summary>The widest SIMD level the runtime reports: AVX-512, AVX2, AVX, SSE4.2, Arm AdvSIMD or none.</summary>
    public static string SimdLevel =>
        Avx512F.IsSupported ? "AVX-512" : Avx2.IsSupported ? "AVX2" : Avx.IsSupported ? "AVX" : Sse42.IsSupported ? "SSE4.2" : AdvSimd.IsSupported ? "Arm AdvSIMD" : "none";

    /// <summary>
    /// One line: CPU model, SIMD level, logical cores, operating system and runtime; and the libtorch/MKL instruction-set
    /// overrides when set (<c>ATEN_CPU_CAPABILITY</c>, <c>MKL_ENABLE_INSTRUCTIONS</c>), which change the kernels used.
    /// </summary>
    public static string Summary()
    {
        string overrides = string.Join(", ", new[] { "ATEN_CPU_CAPABILITY", "MKL_ENABLE_INSTRUCTIONS" }
            .Select(v => (v, Environment.GetEnvironmentVariable(v))).Where(x => !string.IsNullOrEmpty(x.Item2)).Select(x => $"{x.v}={x.Item2}"));
        return $"{CpuModel} ({SimdLevel}), {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}"
            + (overrides.Length > 0 ? $", {overrides}" : "");
    }

    private static string ReadCpuModel()
    {
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            {
                // The first processor's model name, family and model: a virtual machine's "AMD EPYC" alone does not say
                // Zen 3 (family 25) from Zen 5 (family 26), and they sum floating point differently.
                string? name = null, family = null, model = null;
                foreach (var line in File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0))
                {
                    if (line.IndexOf(':', StringComparison.Ordinal) is not (int colon and > 0))
                    {
                        continue;
                    }

                    string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
                    (name, family, model) = key switch
                    {
                        "model name" => (value, family, model),
                        "cpu family" => (name, value, model),
                        "model" => (name, family, value),
                        _ => (name, family, model),
                    };
                }

                if (name is not null)
                {
                    return family is null ? name : $"{name} (family {family}, model {model})";
                }
            }
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
