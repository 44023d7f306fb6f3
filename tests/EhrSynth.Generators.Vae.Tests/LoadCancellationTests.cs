using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Vae.Tests;

/// <summary>A load waits for another generator's fit to leave libtorch's process-wide state, and the wait honours cancellation (#33).</summary>
public class LoadCancellationTests
{
    private static VaeOptions Tiny(int seed) => new() { Seed = seed, Epochs = 2, BatchSize = 16, HiddenChannels = 8, LatentDim = 8, Threads = 1 };

    [Fact]
    public async Task Load_WaitingForAnotherGeneratorsFit_IsCancellable_AndLoadsOnceTheFitIsDone()
    {
        var data = Fixtures.Structured(patients: 64, codes: 20, seed: 7);
        using var dir = new TempDirectory();
        using (var saved = new VaeGenerator(Tiny(5)))
        {
            await saved.FitAsync(data);
            saved.Save(dir.File("model"));
        }

        using var fitting = new VaeGenerator(Tiny(6));
        Task<VaeGenerator>? waiting = null;
        bool endedDuringTheFit = false;
        await fitting.FitAsync(data, new SyncProgress<TrainingProgress>(_ =>
        {
            if (waiting is null)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                waiting = Task.Run(() => VaeGenerator.Load(dir.File("model"), cancellationToken: cts.Token));
                endedDuringTheFit = ((IAsyncResult)waiting).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20));
            }
        }));

        Assert.True(endedDuringTheFit, "a cancelled Load kept waiting for another generator's fit");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting!);
        using var loaded = VaeGenerator.Load(dir.File("model"));
        Assert.Equal(10, loaded.Generate(10, seed: 1).PatientCount);
    }
}
