using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// The devices a model benchmark runs on: always "cpu", and "cuda" when the loaded libtorch backend has a GPU.
/// Without one the cuda cases are left out of the run (and a note says so), so they skip cleanly.
/// </summary>
public static class BenchmarkDevices
{
    public static IEnumerable<string> All
    {
        get
        {
            yield return "cpu";
            if (TorchDevices.IsCudaAvailable)
            {
                yield return "cuda";
            }
            else
            {
                Console.WriteLine("// cuda cases skipped: no CUDA device (reference TorchSharp-cuda-* and build with -p:TorchBackend=cuda)");
            }
        }
    }
}
