using System.Text.Json.Nodes;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;
using EhrSynth.Generators.Torch;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Diffusion.Tests;

public class CodeThresholdsTests
{
    [Fact]
    public void Fit_PutsEachCutBetweenTheKthAndNextLargest_HandComputed()
    {
        using var scope = NewDisposeScope();
        // Five samples × four codes (columns).
        var values = tensor(new float[,]
        {
            { 0.9f, 0.3f, 0.2f, -0.1f },
            { 0.1f, 0.8f, 0.4f, 0.0f },
            { 0.5f, 0.6f, 0.6f, 0.2f },
            { 0.3f, 0.7f, 0.8f, 0.1f },
            { 0.7f, 0.4f, 1.0f, 0.3f },
        });
        // p = 0.4 → 2 samples keep code 0: between 0.7 and 0.5. p = 0.01 → at least 1: between 0.8 and 0.7.
        // p = 1 → all 5: the smallest, 0.2. p = 0 → never.
        var cuts = CodeThresholds.Fit(values, [0.4, 0.01, 1.0, 0.0]);

        Assert.Equal(0.6f, cuts[0], 6);
        Assert.Equal(0.75f, cuts[1], 6);
        Assert.Equal(0.2f, cuts[2], 6);
        Assert.Equal(CodeThresholds.Never, cuts[3]);
    }

    [Fact]
    public void Apply_ThenThresholding_KeepsExactlyTheValuesAtOrAboveEachCut()
    {
        using var scope = NewDisposeScope();
        var values = tensor(new float[,] { { 0.59f, 0.61f, 5f }, { 0.75f, 0.74f, -5f } });
        var cuts = tensor(new[] { 0.6f, 0.75f, CodeThresholds.Never });
        var shifted = CodeThresholds.Apply(values, cuts, 0.5).clamp(0, 1);
        var kept = shifted.ge(0.5).to_type(ScalarType.Int32).data<int>().ToArray();
        Assert.Equal([0, 0, 0, 1, 0, 0], kept);                     // 0.59 < 0.6, 0.61 < 0.75, never; 0.75 ≥ 0.6, 0.74 < 0.75
    }

    [Fact]
    public async Task Calibrated_GeneratesTheTrainingPrevalences_WhereTheRawThresholdDoesNot()
    {
        // An under-trained EHRDiff: at 0.5 its prevalences are far from the data's; with fitted cuts they match within
        // sampling error of the 4,000 records drawn.
        var data = Fixtures.Structured(patients: 600, codes: 16, seed: 4);
        EhrDiffOptions Options(bool calibrate) => new()
        {
            Seed = 1, Epochs = 3, BatchSize = 64, HiddenDims = [32, 32], TimeEmbeddingDim = 8, TimeHiddenDim = 16,
            SamplerSteps = 6, Threads = 1, CalibrateThresholds = calibrate, CalibrationSamples = 4_000,
        };
        using var raw = new EhrDiffGenerator(Options(false));
        using var calibrated = new EhrDiffGenerator(Options(true));
        await raw.FitAsync(data);
        await calibrated.FitAsync(data);

        double[] real = data.CodePrevalence();
        double[] atHalf = raw.Generate(4_000, seed: 9).CodePrevalence();
        double[] atCuts = calibrated.Generate(4_000, seed: 9).CodePrevalence();
        double rawError = real.Zip(atHalf, (a, b) => Math.Abs(a - b)).Max();
        double calibratedError = real.Zip(atCuts, (a, b) => Math.Abs(a - b)).Max();
        double samplingError = 4 * Math.Sqrt(0.25 / 4_000);                              // 4 sd of a proportion, at worst
        Assert.True(calibratedError < samplingError, $"calibrated max |Δp| {calibratedError:F4} ≥ {samplingError:F4}");
        Assert.True(rawError > 2 * samplingError, $"the raw threshold is already calibrated here (max |Δp| {rawError:F4}); the test shows nothing");
        Assert.Equal(16, calibrated.CodeCuts!.Count);
        Assert.Null(raw.CodeCuts);
    }

    [Fact]
    public async Task Load_RefusesAFolderWhoseOptionsSayCalibratedButHaveNoCuts()
    {
        var data = Fixtures.Structured(patients: 100, codes: 8, seed: 4);
        using var g = new EhrDiffGenerator(new EhrDiffOptions
        {
            Seed = 1, Epochs = 1, BatchSize = 32, HiddenDims = [16], TimeEmbeddingDim = 4, TimeHiddenDim = 8,
            SamplerSteps = 4, Threads = 1, CalibrateThresholds = true, CalibrationSamples = 200,
        });
        await g.FitAsync(data);
        using var dir = new TempDirectory();
        string folder = dir.File("model");
        g.Save(folder);
        using (var loaded = EhrDiffGenerator.Load(folder))
        {
            Assert.Equal(g.Generate(50, seed: 3).Records.Select(r => string.Join(",", r.Codes)), loaded.Generate(50, seed: 3).Records.Select(r => string.Join(",", r.Codes)));
        }

        string manifest = Path.Combine(folder, GeneratorManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        var state = json["state"]!.AsObject();
        state["codeThresholds"] = new JsonArray(1, 2);                                   // 2 cuts for 8 codes
        File.WriteAllText(manifest, json.ToJsonString());
        var e = Assert.Throws<EhrDataFormatException>(() => EhrDiffGenerator.Load(folder));
        Assert.Contains("codeThresholds", e.Message, StringComparison.Ordinal);

        state.Remove("codeThresholds");
        File.WriteAllText(manifest, json.ToJsonString());
        Assert.Throws<EhrDataFormatException>(() => EhrDiffGenerator.Load(folder));
    }
}
