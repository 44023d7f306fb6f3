using TorchSharp;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// The one place that seeds libtorch's global random generator. <b>This changes process-wide state</b>: every
/// TorchSharp call in the process that draws from the global generator (the default initialisation of
/// <c>nn.Linear</c>/<c>nn.Conv1d</c>, <c>Dropout</c>) is affected. It is needed because those draws cannot take an
/// explicit generator; every other draw in this library uses an explicit <see cref="torch.Generator"/>. Only the
/// training loop seeds it; families derive their own seeds with <see cref="Derive"/> and <see cref="DeriveInt"/>.
/// </summary>
public static class SeedScope
{
    /// <summary>Seeds libtorch's global CPU generator (and every CUDA device's, when CUDA is available).</summary>
    internal static void SetGlobal(long seed)
    {
        torch.random.manual_seed(seed);
        if (torch.cuda.is_available())
        {
            torch.cuda.manual_seed_all(seed);
        }
    }

    /// <summary>A deterministic 63-bit seed derived from a base seed and labels (phase, epoch, …).</summary>
    public static long Derive(int seed, params ReadOnlySpan<long> parts)
    {
        ulong h = 0x9E3779B97F4A7C15UL ^ (uint)seed;
        foreach (long p in parts)
        {
            h = Mix(h ^ (ulong)p);
        }

        return (long)(Mix(h) >> 1);
    }

    /// <summary>
    /// <see cref="Derive"/> kept to a non-negative <see cref="int"/>: the seed of a side computation (a calibration
    /// sample, a post-fit check) that must not share its random stream with training. Use a label of your own (the
    /// built-in families use small negative numbers: −7, −11, −13, −17).
    /// </summary>
    public static int DeriveInt(int seed, params ReadOnlySpan<long> parts) => (int)(Derive(seed, parts) & int.MaxValue);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
