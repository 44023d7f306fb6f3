using TorchSharp;

namespace EhrSynth.Generators.Torch;

/// <summary>Sets libtorch's intra-op thread count for a scope and restores it afterwards (process-wide setting).</summary>
internal readonly struct TorchThreads : IDisposable
{
    private readonly int _previous;

    private TorchThreads(int previous) => _previous = previous;

    /// <summary>Uses <paramref name="threads"/> threads until disposed; <see langword="null"/> changes nothing.</summary>
    public static TorchThreads Use(int? threads)
    {
        if (threads is not { } n)
        {
            return default;
        }

        int previous = torch.get_num_threads();
        torch.set_num_threads(n);
        return new TorchThreads(previous);
    }

    public void Dispose()
    {
        if (_previous > 0)
        {
            torch.set_num_threads(_previous);
        }
    }
}
