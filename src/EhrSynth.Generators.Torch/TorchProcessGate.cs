using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// Lets one generator at a time use libtorch's process-wide state. libtorch has a single global random generator per
/// process — seeded at the start of every fit and epoch (<see cref="SeedScope"/>) and drawn from by the default
/// initialisation of every module built and by dropout — and a single intra-op thread setting. Two fits running at once
/// on different threads would interleave their draws, and neither would be reproducible; a load or a build in the
/// middle of a fit would shift its random stream. So fits, loads, model builds and sampling of torch-backed generators
/// in one process run one after another: a second caller waits (cancellably) and logs that it waits. Re-entry on the
/// same thread (a fit that samples for its own calibration) passes straight through. Processes do not share the state,
/// so separate processes still train in parallel.
/// </summary>
internal static class TorchProcessGate
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    [ThreadStatic]
    private static int _depth;

    /// <summary>Enters the gate (waiting for another generator to leave it) until the returned scope is disposed.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public static Scope Enter(ILogger logger, string generator, CancellationToken cancellationToken = default)
    {
        if (_depth == 0 && !Gate.Wait(0, CancellationToken.None))
        {
            Log.WaitingForTorch(logger, generator);
            Gate.Wait(cancellationToken);
        }

        _depth++;
        return new Scope(true);
    }

    /// <summary>Leaves the gate when disposed (once).</summary>
    internal readonly struct Scope(bool entered) : IDisposable
    {
        public void Dispose()
        {
            if (entered && --_depth == 0)
            {
                Gate.Release();
            }
        }
    }
}
