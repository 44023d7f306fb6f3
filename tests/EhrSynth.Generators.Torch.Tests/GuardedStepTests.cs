using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch.Tests;

public class GuardedStepTests
{
    // Adam's first step moves every parameter by lr against the sign of its gradient (m̂ / √v̂ = g / |g|).
    private static float[] OneAdamStep(bool alreadyInNoGcRegion)
    {
        using var scope = NewDisposeScope();
        var p = new TorchSharp.Modules.Parameter(tensor(new[] { 1f, -2f, 3f }));
        using var adam = optim.Adam([p], lr: 0.1);
        (p * tensor(new[] { 0.5f, -1f, 2f })).sum().backward();                // grad = [0.5, −1, 2]
        bool outer = alreadyInNoGcRegion && GC.TryStartNoGCRegion(1L << 20);
        try
        {
            adam.StepGuarded();
        }
        finally
        {
            if (outer && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }

        Assert.NotEqual(System.Runtime.GCLatencyMode.NoGCRegion, System.Runtime.GCSettings.LatencyMode);
        return p.detach().data<float>().ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StepGuarded_IsAdamsStep_AndLeavesNoRegionOpen(bool alreadyInNoGcRegion)
    {
        var after = OneAdamStep(alreadyInNoGcRegion);
        Assert.Equal([0.9f, -1.9f, 2.9f], after.Select(v => MathF.Round(v, 5)).ToArray());
    }
}
