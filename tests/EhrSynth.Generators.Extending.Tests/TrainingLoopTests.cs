using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Testing;
using EhrSynth.Generators.Torch;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Extending.Tests;

/// <summary>What the training loop does with a step's typed result, and the per-code calibration, through public API.</summary>
public class TrainingLoopTests
{
    private static readonly Data.EhrDataset Data = Fixtures.Structured(patients: 32, codes: 6, seed: 3);

    [Fact]
    public async Task ANonFiniteDiagnostic_IsReported_ButDoesNotStopTheFit()
    {
        var reports = new List<TrainingProgress>();
        using var g = new ScriptedGenerator(new ScriptedOptions { Seed = 1, Threads = 1 },
            _ => new StepResult(new Dictionary<string, double> { ["loss"] = 1.0 }) { Diagnostics = new Dictionary<string, double> { ["lr"] = double.NaN } });
        await g.FitAsync(Data, new SyncProgress<TrainingProgress>(reports.Add));
        Assert.True(g.IsFitted);
        var end = reports.Last(r => r.IsEpochEnd);
        Assert.Equal(TrainingPhaseName.Train, end.Phase);
        Assert.Equal(["loss"], end.Losses.Keys);
        Assert.True(double.IsNaN(end.Diagnostics["lr"]));
    }

    [Fact]
    public async Task ANonFiniteLoss_StopsTheFit_NamingThePhaseEpochAndStep()
    {
        // 32 patients in batches of 8: 4 steps an epoch; step 6 is epoch 2's second.
        using var g = new ScriptedGenerator(new ScriptedOptions { Seed = 1, Threads = 1 },
            c => new StepResult(new Dictionary<string, double> { ["loss"] = c.Step == 6 ? double.PositiveInfinity : 1.0 }));
        var e = await Assert.ThrowsAsync<TrainingDivergedException>(() => g.FitAsync(Data));
        Assert.Equal((TrainingPhaseName.Train, 2, 6L), (e.Phase, e.Epoch, e.Step));
        Assert.Contains("the loss became Infinity in phase 'train', epoch 2, step 6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenSteps_AreCountedInTokens()
    {
        var reports = new List<TrainingProgress>();
        using var g = new ScriptedGenerator(new ScriptedOptions { Seed = 1, Threads = 1, Epochs = 3 },
            _ => new StepResult(new Dictionary<string, double> { ["loss"] = 1.0 }, Processed: 100, TrainingUnit.Tokens));
        await g.FitAsync(Data, new SyncProgress<TrainingProgress>(reports.Add));
        Assert.Equal(new TrainingCost(2, 3 * 4 * 100, TrainingUnit.Tokens), g.LastTrainingCost);   // Linear(1, 1): 2 parameters
        Assert.All(reports, r => Assert.Equal(TrainingUnit.Tokens, r.Unit));
    }

    [Fact]
    public void LogOddsOffsets_DrawTheSampleInGenerationBatches_AndHitEachPrevalence()
    {
        var batches = new List<int>();
        using var scope = NewDisposeScope();
        var calibration = CodeCalibration.Fit(CodeCalibrationMethod.LogOddsOffsets, samples: 25, batchSize: 10, b =>
        {
            batches.Add(b);
            return full([b, 2], 0.5f);                                             // every record: p = 0.5 for both codes
        }, [0.2, 0.0]);
        Assert.Equal([10, 10, 5], batches);
        Assert.Equal(Math.Log(0.2 / 0.8), calibration.Values[0], 1e-4);            // logit 0.2 − logit 0.5
        Assert.True(calibration.Values[1] <= -1_000);                               // a code no patient has: never
        var moved = calibration.Apply(full([3, 2], 0.5f), threshold: 0.5);
        Assert.Equal(0.2, moved[0, 0].item<float>(), 1e-5);
        Assert.True(moved[0, 1].item<float>() < 1e-6);
    }

    [Fact]
    public void QuantileCuts_FallBetweenTheKthAndNextLargestValue()
    {
        using var scope = NewDisposeScope();
        var values = arange(8, dtype: ScalarType.Float32).div(8).unsqueeze(1);      // [8, 1]: 0, 1/8, …, 7/8
        var calibration = CodeCalibration.Fit(CodeCalibrationMethod.QuantileCuts, samples: 8, batchSize: 8, _ => values, [0.25]);
        Assert.Equal(5.5 / 8, calibration.Values[0], 1e-6);                          // 2 of 8 keep it: between 6/8 and 5/8
        Assert.Equal(0.5 + (6.0 / 8) - (5.5 / 8), calibration.Apply(full([1, 1], 6f / 8), threshold: 0.5).item<float>(), 1e-6);
    }
}
