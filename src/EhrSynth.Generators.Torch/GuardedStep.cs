using System.Runtime;
using TorchSharp.Modules;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// Runs a TorchSharp optimizer step with no garbage collection inside it.
/// </summary>
/// <remarks>
/// TorchSharp's own optimizers pass unrooted <see cref="TorchSharp.Scalar"/>s (learning rate, betas, weight decay) to
/// native calls; a collection during the step can finalise one while native code still reads it (see
/// <see cref="RootedScalars"/>). The step therefore runs in a no-GC region: the runtime collects once before it and
/// not during it. If a region cannot be started (another thread holds one), the step runs unguarded.
/// </remarks>
internal static class GuardedStep
{
    private const long Budget = 64L << 20;   // far more than a step allocates (a few objects per parameter)

    /// <summary>Calls <c>optimizer.step()</c> inside a no-GC region.</summary>
    public static void StepGuarded(this OptimizerHelper optimizer)
    {
        bool region;
        try
        {
            region = GC.TryStartNoGCRegion(Budget);
        }
        catch (InvalidOperationException)
        {
            region = false;   // already in a region on another thread
        }

        try
        {
            optimizer.step();
        }
        finally
        {
            if (region && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }
}
