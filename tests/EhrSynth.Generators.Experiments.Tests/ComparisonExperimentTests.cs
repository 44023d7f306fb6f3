using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Gan.MedGan;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Reporting;
using EhrSynth.Generators.Testing;
using EhrSynth.Generators.Diffusion;
using EhrSynth.Generators.Diffusion.Ddpm;
using EhrSynth.Generators.Gan.CorGan;
using EhrSynth.Generators.Llm;
using EhrSynth.Generators.Marginal;
using EhrSynth.Generators.Vae;

namespace EhrSynth.Generators.Experiments.Tests;

/// <summary>The comparison end to end on tiny data: two families, one or two seeds, an epoch each.</summary>
public class ComparisonExperimentTests
{
    private static readonly EhrDataset Data = Fixtures.Structured(patients: 300, codes: 12, seed: 3);

    private static ExperimentOptions Options(
        string output,
        IReadOnlyList<int>? seeds = null,
        string budget = GeneratorFamily.Quick,
        IReadOnlyList<GeneratorFamily>? families = null,
        Func<GeneratorFamily, EhrGeneratorOptions, EhrGeneratorOptions>? configure = null,
        IReadOnlyList<string>? notes = null,
        IReadOnlyDictionary<string, PrivacyPoint>? privacy = null,
        EhrDataset? data = null) => new()
    {
        Families = families ?? [VaeGenerator.Family, MedGanGenerator.Family],
        Data = data ?? Data,
        DataName = "structured fixture",
        Seeds = seeds ?? [1],
        Budget = budget,
        Epochs = 1,
        OutputFolder = output,
        Device = ComputeDevice.Cpu,
        ConfigureOptions = configure,
        Notes = notes ?? [],
        PrivacyPoints = privacy,
    };

    [Fact]
    public async Task TwoSeeds_GiveEveryRow_MeanAndSdOfThePerSeedValues_AndEveryReportFile()
    {
        using var dir = new TempDirectory();
        var events = new List<ExperimentEvent>();
        var result = await ComparisonExperiment.RunAsync(Options(dir.File("report"), [1, 2]), new SyncProgress<ExperimentEvent>(events.Add));

        // Rows: the floor, the families in the order given, the ceiling.
        Assert.Equal(["Independent marginals", "Pairwise tree (Chow–Liu)", "VAE", "medGAN", "Real train"], result.Report.Rows.Select(r => r.Name));
        Assert.Equal([RowKind.Floor, RowKind.Reference, RowKind.Model, RowKind.Model, RowKind.Ceiling], result.Report.Rows.Select(r => r.Kind));
        Assert.Equal([1, 2], result.Report.Seeds);

        // Every model generated as many patients as the holdout (300 × 0.2 = 60), once per seed.
        Assert.Equal(4, result.Runs.Count);
        Assert.All(result.Runs, r => Assert.Equal(60, r.Generated));

        // mean ± sd is the sample mean and the n − 1 standard deviation of the two seeds' own reports.
        const string cov = "Covariance resampling", covKey = "normalized_cov_error";
        double a = result.Report.Runs[0].Report.Rows.First(r => r.Name == "VAE").Value(cov, covKey);
        double b = result.Report.Runs[1].Report.Rows.First(r => r.Name == "VAE").Value(cov, covKey);
        Assert.NotEqual(a, b);                                                     // the seeds are different runs
        var (mean, sd, n) = result.Report.Statistic("VAE", cov, covKey);
        Assert.Equal(2, n);
        Assert.Equal((a + b) / 2, mean, 12);
        Assert.Equal(Math.Abs(a - b) / Math.Sqrt(2), sd, 12);

        // The folder: Markdown, both seeds' figures, results.json and one CSV per family and seed, nothing else.
        string folder = dir.File("report");
        string[] expected =
        [
            ".ehrsynth-output.json", ComparisonReport.ReportFile, ComparisonExperiment.ResultsFile,
            "fig1-prevalence.png", "fig2-covariance.png", "fig1-prevalence-seed2.png", "fig2-covariance-seed2.png",
            "synthetic-vae-seed1.csv", "synthetic-vae-seed2.csv", "synthetic-medgan-seed1.csv", "synthetic-medgan-seed2.csv",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string markdown = File.ReadAllText(result.ReportPath);
        Assert.Contains("Seeds: 1, 2", markdown, StringComparison.Ordinal);
        Assert.Contains(" ± ", markdown, StringComparison.Ordinal);

        // results.json holds the same per-seed values and mean.
        using var json = JsonDocument.Parse(File.ReadAllText(result.ResultsPath));
        var vae = json.RootElement.GetProperty("rows").EnumerateArray().First(r => r.GetProperty("name").GetString() == "VAE");
        var value = vae.GetProperty("values").EnumerateArray().First(v => v.GetProperty("key").GetString() == covKey);
        Assert.Equal([a, b], value.GetProperty("perSeed").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(mean, value.GetProperty("mean").GetDouble(), 12);

        // Progress: per seed data, then train and generate per family, then evaluate; the report once at the end.
        var stages = events.Where(e => e.Training is null && e.Metric is null).Select(e => (e.Stage, e.Family, e.Seed)).ToList();
        (ExperimentStage, string, int)[] perSeed(int s) =>
            [(ExperimentStage.Data, "", s), (ExperimentStage.Train, "VAE", s), (ExperimentStage.Generate, "VAE", s),
             (ExperimentStage.Train, "medGAN", s), (ExperimentStage.Generate, "medGAN", s), (ExperimentStage.Evaluate, "", s)];
        Assert.Equal([.. perSeed(1), .. perSeed(2), (ExperimentStage.Report, "", 2), (ExperimentStage.Report, "", 2)], stages);
        Assert.Contains(events, e => e.Training is { Epoch: 1 } && e.Family == "medGAN");
    }

    [Fact]
    public async Task ASeed_GivesTheSameRow_AloneOrInASweep()
    {
        using var dir = new TempDirectory();
        var sweep = await ComparisonExperiment.RunAsync(Options(dir.File("sweep"), [2, 1]));
        var alone = await ComparisonExperiment.RunAsync(Options(dir.File("alone"), [1]));

        var inSweep = sweep.Report.Runs.Single(r => r.Seed == 1).Report;
        foreach (var row in alone.Report.Runs[0].Report.Rows)
        {
            var other = inSweep.Rows.First(r => r.Name == row.Name);
            foreach (var metric in row.Results)
            {
                foreach (var v in metric.Values)
                {
                    double inSweepValue = other.Value(metric.MetricName, v.Key);
                    Assert.True(v.Value.Equals(inSweepValue), $"{row.Name} {metric.MetricName} {v.Key}: {v.Value} alone, {inSweepValue} in the sweep");
                }
            }
        }
    }

    [Fact]
    public async Task TheSameSeed_OnTheSameMachineAndThreads_GivesTheSameResultsFile_ForEveryFamily()
    {
        // What "reproducible" promises (README, docs/results.md): the same command with the same seeds on the same CPU
        // instruction set and thread count writes the same results.json — every value of every row on every seed, every
        // run's settings, sizes, notes and privacy guarantee — and the same synthetic patients; only the times differ.
        // Every built-in family, one epoch each on the fixture (its codes declared public, as MST's private fit needs).
        using var dir = new TempDirectory();
        IReadOnlyList<GeneratorFamily> families =
            [VaeGenerator.Family, MedGanGenerator.Family, CorGanGenerator.Family, EhrDiffGenerator.Family, DdpmGenerator.Family, LlmGenerator.Family, MstGenerator.Family];
        var data = Fixtures.Public(Data);
        var first = await ComparisonExperiment.RunAsync(Options(dir.File("a"), families: families, data: data));
        var second = await ComparisonExperiment.RunAsync(Options(dir.File("b"), families: families, data: data));

        static string WithoutTimes(string resultsPath)
        {
            var root = JsonNode.Parse(File.ReadAllText(resultsPath))!.AsObject();
            foreach (var run in root["runs"]!.AsArray())
            {
                run!.AsObject().Remove("trainingSeconds");
                run.AsObject().Remove("generationSeconds");
            }

            var setup = root["setup"]!.AsArray();
            for (int i = 0; i < setup.Count; i++)
            {
                setup[i] = System.Text.RegularExpressions.Regex.Replace(setup[i]!.GetValue<string>(), @"trained in [0-9.]+ s, generated in [0-9.]+ s", "trained, generated");
            }

            return root.ToJsonString();
        }

        string a = WithoutTimes(first.ResultsPath);
        Assert.Equal(a, WithoutTimes(second.ResultsPath));
        Assert.Equal(families.Count, JsonNode.Parse(File.ReadAllText(first.ResultsPath))!["runs"]!.AsArray().Count);
        foreach (var family in families)
        {
            string file = $"synthetic-{family.Name}.csv";
            Assert.Equal(File.ReadAllText(Path.Combine(dir.File("a"), file)), File.ReadAllText(Path.Combine(dir.File("b"), file)));
        }
    }

    [Fact]
    public async Task Cancelled_DuringTheSecondFamily_WritesNothing_AndKeepsAnEarlierReport()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        await ComparisonExperiment.RunAsync(Options(folder));
        string before = File.ReadAllText(Path.Combine(folder, ComparisonReport.ReportFile));

        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<ExperimentEvent>(e =>
        {
            if (e.Family == "medGAN" && e.Training is not null)
            {
                cts.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ComparisonExperiment.RunAsync(Options(folder), progress, cts.Token));

        Assert.Equal(before, File.ReadAllText(Path.Combine(folder, ComparisonReport.ReportFile)));
        Assert.Equal([folder], Directory.GetFileSystemEntries(dir.Path));           // no temporary sibling left behind
    }

    [Fact]
    public async Task InvalidOptions_AreAllListedInOneError_BeforeAnyWork()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        var options = Options(folder, [1, 1], budget: "huge", privacy: new Dictionary<string, PrivacyPoint> { ["vae"] = new("VAE", null), ["gpt7"] = new("GPT", 3) });
        var trained = false;
        var e = await Assert.ThrowsAsync<ValidationException>(() => ComparisonExperiment.RunAsync(options, new SyncProgress<ExperimentEvent>(_ => trained = true)));

        Assert.Contains("VAE has no 'huge' preset", e.Message, StringComparison.Ordinal);
        Assert.Contains("medGAN has no 'huge' preset", e.Message, StringComparison.Ordinal);
        Assert.Contains("A seed is listed twice", e.Message, StringComparison.Ordinal);
        Assert.Contains("The privacy sweep (PrivacyPoints) gives no family an ε", e.Message, StringComparison.Ordinal);
        Assert.False(trained);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task AFamilysInvalidOptions_AreRefusedBeforeTheFirstFamilyTrains()
    {
        using var dir = new TempDirectory();
        var options = Options(dir.File("report"), configure: (family, o) =>
        {
            if (o is MedGanOptions m)
            {
                m.BatchSize = 0;
                m.LearningRate = -1;
            }

            return o;
        });
        var trained = false;
        var e = await Assert.ThrowsAsync<ValidationException>(() => ComparisonExperiment.RunAsync(options, new SyncProgress<ExperimentEvent>(_ => trained = true)));

        Assert.Contains("BatchSize", e.Message, StringComparison.Ordinal);
        Assert.Contains("LearningRate", e.Message, StringComparison.Ordinal);
        Assert.False(trained);                                                     // medGAN is second: the VAE did not train first
    }

    [Fact]
    public async Task ConfigureOptions_IsWhatTheFamilyTrainsWith_AndTheReportSaysSo()
    {
        using var dir = new TempDirectory();
        var options = Options(dir.File("report"), families: [VaeGenerator.Family], notes: ["VAE latent dimension 3 (a test)."], configure: (family, o) =>
        {
            ((VaeOptions)o).LatentDim = 3;
            return o;
        });
        var result = await ComparisonExperiment.RunAsync(options);

        var vae = (VaeOptions)ComparisonExperiment.OptionsFor(options, VaeGenerator.Family, 1);
        Assert.Equal(3, vae.LatentDim);
        Assert.Equal(1, vae.Epochs);                                                // the epoch override applied before the caller's change
        Assert.Equal(VaeGenerator.Family.Describe(vae), result.Runs.Single().Settings);
        Assert.Contains("VAE latent dimension 3 (a test).", File.ReadAllText(result.ReportPath), StringComparison.Ordinal);
    }
}
