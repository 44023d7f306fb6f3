using System.Text.Json.Nodes;
using EhrSynth.Generators.Gan.CorGan;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Gan.Tests;

public class PrevalenceCalibrationTests
{
    private static CorGanOptions Options(bool calibrate) => new()
    {
        Seed = 1, PretrainEpochs = 1, Epochs = 2, BatchSize = 32, CriticDims = [16, 16], CriticSteps = 2, BoostedCriticSteps = 2,
        LearningRate = 2e-3, AdamBeta1 = 0.5, Threads = 1, CalibratePrevalence = calibrate, CalibrationSamples = 4_000,
    };

    [Fact]
    public async Task CorGan_Calibrated_GeneratesTheTrainingPrevalences_WhereTheRawModelDoesNot()
    {
        // A two-epoch CorGAN without the per-code decoder bias: its prevalences are far from the data's; with the offsets
        // they match within the sampling error of the 4,000 records drawn.
        var data = Fixtures.Structured(patients: 600, codes: 16, seed: 4);
        using var raw = new CorGanGenerator(Options(false));
        using var calibrated = new CorGanGenerator(Options(true));
        await raw.FitAsync(data);
        await calibrated.FitAsync(data);

        double[] real = data.CodePrevalence();
        double rawError = real.Zip(raw.Generate(4_000, seed: 9).CodePrevalence(), (a, b) => Math.Abs(a - b)).Max();
        double calibratedError = real.Zip(calibrated.Generate(4_000, seed: 9).CodePrevalence(), (a, b) => Math.Abs(a - b)).Max();
        double samplingError = 4 * Math.Sqrt(0.25 / 4_000);
        Assert.True(calibratedError < samplingError, $"calibrated max |Δp| {calibratedError:F4} ≥ {samplingError:F4}");
        Assert.True(rawError > 2 * samplingError, $"the raw model is already calibrated here (max |Δp| {rawError:F4}); the test shows nothing");
        Assert.Null(raw.PrevalenceOffsets);
        Assert.Equal(16, calibrated.PrevalenceOffsets!.Count);
    }

    [Fact]
    public async Task Load_KeepsTheOffsets_AndRefusesAFolderWithoutThem()
    {
        var data = Fixtures.Structured(patients: 100, codes: 8, seed: 4);
        var options = Options(true);
        options.CalibrationSamples = 300;
        using var g = new CorGanGenerator(options);
        await g.FitAsync(data);
        using var dir = new TempDirectory();
        string folder = dir.File("model");
        g.Save(folder);
        using (var loaded = CorGanGenerator.Load(folder))
        {
            Assert.Equal(g.Generate(60, seed: 3).Records.Select(r => string.Join(",", r.Codes)), loaded.Generate(60, seed: 3).Records.Select(r => string.Join(",", r.Codes)));
        }

        string manifest = Path.Combine(folder, GeneratorManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        json["state"]!.AsObject().Remove("prevalenceOffsets");
        File.WriteAllText(manifest, json.ToJsonString());
        var e = Assert.Throws<EhrDataFormatException>(() => CorGanGenerator.Load(folder));
        Assert.Contains("prevalenceOffsets", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheModeCollapseWarning_IsSavedAsModeCollapse_AndTheOldSnakeCaseKeyIsStillRead()
    {
        var data = Fixtures.Structured(patients: 100, codes: 8, seed: 4);
        using var g = new CorGanGenerator(Options(false));
        await g.FitAsync(data);
        using var dir = new TempDirectory();
        string folder = dir.File("model");
        g.Save(folder);
        string manifest = Path.Combine(folder, GeneratorManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        var state = json["state"]!.AsObject();
        state.Remove("modeCollapse");
        state["mode_collapse"] = "collapsed (a folder saved before issue #33)";
        File.WriteAllText(manifest, json.ToJsonString());
        using (var loaded = CorGanGenerator.Load(folder))
        {
            Assert.Equal("collapsed (a folder saved before issue #33)", loaded.ModeCollapseWarning);
            loaded.Save(dir.File("again"));
        }

        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File("again"), GeneratorManifest.FileName)))!["state"]!.AsObject();
        Assert.Equal("collapsed (a folder saved before issue #33)", saved["modeCollapse"]!.GetValue<string>());
        Assert.False(saved.ContainsKey("mode_collapse"));
    }
}

