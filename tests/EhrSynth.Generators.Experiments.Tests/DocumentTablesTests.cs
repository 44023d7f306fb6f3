using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Reporting;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Experiments.Tests;

/// <summary>
/// Tables rendered from committed results files (issue #34): the reader gives back what the writer wrote, the documents'
/// tables equal what their data renders, and an edited digit is found.
/// </summary>
public class DocumentTablesTests
{
    private const string Cov = "Covariance resampling", CovKey = "normalized_cov_error", Co = "Co-occurrence", Bigram = "bigram_r2";

    /// <summary>Two seeds: the floor, two models (one below the floor on seed 2), the ceiling; one metric not computed for one row on seed 2 and for another on seed 1.</summary>
    private static SeedSweepReport HandMade()
    {
        static SuiteRow Row(string name, RowKind kind, double cov, double bigram, double? pearson) => new(name, kind,
        [
            new MetricResult(Cov, [new MetricValue(CovKey, cov, MetricDirection.LowerIsBetter, "normalised covariance error")]),
            new MetricResult(Co, [new MetricValue(Bigram, bigram, MetricDirection.HigherIsBetter, "bigram R²")]),
            pearson is { } p
                ? new MetricResult("Dimension-wise distribution", [new MetricValue("pearson", p, MetricDirection.HigherIsBetter, "Pearson")])
                : MetricResult.NotComputed("Dimension-wise distribution", "too few patients"),
        ], TimeSpan.FromSeconds(1));

        return new SeedSweepReport(
        [
            new SeedRun(1, new SuiteReport([Row("Independent marginals", RowKind.Floor, 0.830, 0.832, 0.9993), Row("VAE", RowKind.Model, 0.762, 0.901, 0.9984),
                Row("Bad", RowKind.Model, 0.820, 0.840, 0.99), Row("Real train", RowKind.Ceiling, 0.534, 0.984, null)])),
            new SeedRun(2, new SuiteReport([Row("Independent marginals", RowKind.Floor, 0.836, 0.835, 0.9991), Row("VAE", RowKind.Model, 0.764, 0.895, 0.9980),
                Row("Bad", RowKind.Model, 0.840, 0.850, null), Row("Real train", RowKind.Ceiling, 0.540, 0.982, 0.9994)])),
        ]);
    }

    private static string WriteResults(TempDirectory dir, SeedSweepReport report, IReadOnlyList<FamilyRun>? runs = null, IReadOnlyDictionary<string, PrivacyPoint>? points = null)
    {
        string path = dir.File("results.json");
        File.WriteAllText(path, ExperimentJson.Serialize(report, runs ?? [], ["Machine: test."], points));
        return path;
    }

    [Fact]
    public void ResultsReadBack_RenderTheSameTables_AsTheReportTheyCameFrom()
    {
        using var dir = new TempDirectory();
        var report = HandMade();
        var runs = new List<FamilyRun>
        {
            new("VAE", 1, "Mlp VAE, 4 epochs", TimeSpan.FromSeconds(9.4), TimeSpan.FromSeconds(0.31), 14_304, new Generation.TrainingCost(1234, 5678, Generation.TrainingUnit.Samples)),
            new("VAE", 2, "Mlp VAE, 4 epochs", TimeSpan.FromSeconds(12.6), TimeSpan.FromSeconds(0.29), 14_304,
                Privacy: new Privacy.PrivacyGuarantee(2.99, 1e-5, 0.77, 0.0087, 460, 1, 9, 20, 10)),
        };

        var points = new Dictionary<string, PrivacyPoint> { ["VAE"] = new("VAE", null), ["Bad"] = new("VAE", 3) };
        var back = ComparisonResults.Load(WriteResults(dir, report, runs, points));

        Assert.Equal([1, 2], back.Seeds);
        Assert.Equal(["Machine: test."], back.Setup);
        Assert.Equal(report.FormatMarkdown(), back.Report.FormatMarkdown());
        Assert.Equal(report.FormatText(), back.Report.FormatText());
        Assert.Equal(FloorMarginTable.FormatMarkdown(report), FloorMarginTable.FormatMarkdown(back.Report));
        Assert.Equal(RunTable.FormatMarkdown(runs), RunTable.FormatMarkdown(back.Runs));
        Assert.Equal(runs[0].Cost, back.Runs[0].Cost);
        Assert.Equal(runs[1].Privacy, back.Runs[1].Privacy);
        Assert.Equal(points, back.PrivacySweep);
        Assert.Equal(PrivacySweep.FormatMarkdown(PrivacySweep.Rows(report, points)), DocumentTables.RenderTable(dir.File("results.json"), "privacy-sweep", new Dictionary<string, string>()));
        Assert.False(back.Report.Runs[1].Report.Rows[2].Result("Dimension-wise distribution")!.IsComputed);
        Assert.False(back.Report.Runs[0].Report.Rows[3].Result("Dimension-wise distribution")!.IsComputed);
        Assert.Equal(0.9994, back.Report.Runs[1].Report.Rows[3].Value("Dimension-wise distribution", "pearson"));     // kept although seed 1 had none
    }

    [Fact]
    public void FloorMargins_AreTheHandComputedValues()
    {
        // VAE: margins (0.830 − 0.762, 0.836 − 0.764) → 0.070; sd of 0.762, 0.764 = 0.0014; bigram (0.069, 0.060) → 0.0645, sd of 0.901, 0.895 = 0.0042.
        // Bad: cov margins (0.010, −0.004) → beaten on seed 1 only.
        string table = FloorMarginTable.FormatMarkdown(HandMade());

        Assert.Equal(
            "| model | norm. cov err, seeds 1 / 2 (floor 0.830 / 0.836) | bigram R², seeds 1 / 2 (floor 0.832 / 0.835) | margin over the floor (cov · bigram), mean ± sd | every seed |\n" +
            "|---|---|---|---|:-:|\n" +
            "| VAE | 0.762 / 0.764 | 0.901 / 0.895 | 0.070 ± 0.001 · 0.065 ± 0.004 | yes |\n" +
            "| Bad † | 0.820 / 0.840 | 0.840 / 0.850 | 0.003 ± 0.014 · 0.012 ± 0.007 | **no** (1 of 2) |\n",
            table);
    }

    [Fact]
    public void PerSeedValues_AreTheRowsValuesSeedBySeed()
    {
        using var dir = new TempDirectory();
        string path = WriteResults(dir, HandMade());

        Assert.Equal(
            "| row | norm. cov err, seeds 1 / 2 | Pearson, seeds 1 / 2 |\n|---|---|---|\n" +
            "| Independent marginals (floor) | 0.830 / 0.836 | 0.9993 / 0.9991 |\n| VAE | 0.762 / 0.764 | 0.9984 / 0.9980 |\n" +
            "| Bad | 0.820 / 0.840 | 0.9900 / n/a |\n| Real train (ceiling) | 0.534 / 0.540 | n/a / 0.9994 |\n",
            DocumentTables.RenderTable(path, "per-seed", new Dictionary<string, string> { ["columns"] = "normalized_cov_error,pearson" }.AsReadOnly()));
    }

    [Fact]
    public void Records_AreOneRowPerFile_InFileNameOrder_WithTheNamedValues()
    {
        using var dir = new TempDirectory();
        dir.Write("run-b.json", "{\"patients\": 10000000, \"seconds\": 98.9, \"family\": \"VAE\", \"other\": 1}");
        dir.Write("run-a.json", "{\"patients\": 1000000, \"seconds\": 17.90, \"family\": \"VAE\"}");

        Assert.Equal(
            "| file | family | patients | seconds |\n|---|---:|---:|---:|\n| run-a.json | VAE | 1,000,000 | 17.90 |\n| run-b.json | VAE | 10,000,000 | 98.9 |\n",
            DocumentTables.RenderTable(dir.File("run-*.json"), "records", new Dictionary<string, string> { ["fields"] = "family,patients,seconds" }));
        dir.Write("one.json", "{\"values\": {\"Co-occurrence/bigram r2\": 0.99957122}}");
        Assert.Equal("| file | Co-occurrence/bigram r2 |\n|---|---:|\n| one.json | 0.9996 |\n",
            DocumentTables.RenderTable(dir.File("one.json"), "records", new Dictionary<string, string> { ["fields"] = "values.Co-occurrence/bigram%20r2:F4" }));
        var e = Assert.Throws<InvalidDataException>(() => DocumentTables.RenderTable(dir.File("run-*.json"), "records", new Dictionary<string, string> { ["fields"] = "other" }));
        Assert.EndsWith("run-a.json: no \"other\".", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABenchmarkDotNetReport_GivesEachBenchmarksParametersMeanAndSd()
    {
        // privacy-benchmark.md, BenchmarkDotNet's own table of the same run, says 158.6 ms ± 26.91 ms for the ordinary VAE epoch.
        string path = Path.Combine(Repository.Root, "docs", "results", "benchmarks", "privacy", "privacy-benchmark.json");
        string table = DocumentTables.RenderTable(path, "benchmark", new Dictionary<string, string>());

        Assert.StartsWith("| benchmark | Family | Private | Device | mean (ms) | sd (ms) | iterations |\n|---|---|---|---|---:|---:|---:|\n", table, StringComparison.Ordinal);
        Assert.Contains("| TrainEpoch | vae | False | cpu | 158.6 | 26.9 | 3 |", table, StringComparison.Ordinal);
        Assert.Contains("| TrainEpoch | llm | True | cpu | 4,173.5 | 257.6 | 3 |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void ACommittedPrivacySweep_RendersFromItsResults_AsTheCommandWroteIt()
    {
        // The command wrote privacy-sweep.md from its own row names and ε; the reader finds them again from results.json.
        string folder = Path.Combine(Repository.Root, "docs", "results", "privacy", "mst-sweep-3-seeds");
        string rendered = DocumentTables.RenderTable(Path.Combine(folder, "results.json"), "privacy-sweep", new Dictionary<string, string>());

        Assert.Equal(File.ReadAllText(Path.Combine(folder, "privacy-sweep.md")), rendered);
    }

    [Fact]
    public void ACommittedCohortStudy_RendersItsSummary_AsTheCommandWroteIt()
    {
        string folder = Path.Combine(Repository.Root, "docs", "results", "cohorts", "quick-3-seeds");
        string rendered = DocumentTables.RenderTable(Path.Combine(folder, "cohorts.json"), "cohorts", new Dictionary<string, string>());

        Assert.Contains(rendered, File.ReadAllText(Path.Combine(folder, "cohorts.md")), StringComparison.Ordinal);
        Assert.Equal(7, rendered.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);       // header, rule, five cohorts
    }

    [Fact]
    public void Render_WritesTheTableBetweenItsMarkers_AndLeavesTheRestAlone()
    {
        using var dir = new TempDirectory();
        WriteResults(dir, HandMade());
        string document = "# Title\n\nText before.\n\n<!-- table: results.json comparison seed=2 columns=normalized_cov_error,bigram_r2 -->\nstale\n<!-- /table -->\n\nText after.\n";

        string rendered = DocumentTables.Render(document, dir.Path, "doc.md");

        Assert.Equal(
            "# Title\n\nText before.\n\n<!-- table: results.json comparison seed=2 columns=normalized_cov_error,bigram_r2 -->\n" +
            "| model | norm. cov err | bigram R² |\n|---|---:|---:|\n" +
            "| Independent marginals (floor) | 0.836 | 0.835 |\n| VAE | 0.764 | 0.895 |\n| Bad † | 0.840 | 0.850 |\n| Real train (ceiling) | 0.540 | 0.982 |\n\n" +
            "† Does not clear the independent-marginals floor on normalised covariance error and bigram R² on every seed by more than the seed-to-seed spread: " +
            "Bad beats it on 0 of 1 seed(s) (mean margin: covariance -0.004 vs spread 0.000, bigram R² +0.015 vs spread 0.000).\n\n" +
            "- Not computed (n/c): Dimension-wise distribution (Bad): too few patients.\n" +
            "<!-- /table -->\n\nText after.\n",
            rendered);
        Assert.Equal(rendered, DocumentTables.Render(rendered, dir.Path, "doc.md"));

        string example = "How to mark a table:\n\n```markdown\n<!-- table: elsewhere/results.json comparison -->\n<!-- /table -->\n```\n";
        Assert.Equal(example, DocumentTables.Render(example, dir.Path, "doc.md"));          // a fenced example is not a table
    }

    [Fact]
    public void OneEditedDigit_IsFound_WithItsLine()
    {
        using var dir = new TempDirectory();
        WriteResults(dir, HandMade());
        string doc = dir.File("doc.md");
        File.WriteAllText(doc, DocumentTables.Render("Intro\n<!-- table: results.json floor-margins -->\n<!-- /table -->\n", dir.Path, doc));
        Assert.Empty(DocumentTables.Differences(doc));

        File.WriteAllText(doc, File.ReadAllText(doc).Replace("0.762 / 0.764", "0.762 / 0.765", StringComparison.Ordinal));

        var problem = Assert.Single(DocumentTables.Differences(doc));
        Assert.StartsWith($"{doc}:5: the table from results.json (floor-margins) differs from its data", problem, StringComparison.Ordinal);
        Assert.Contains("0.762 / 0.765", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<!-- table: results.json comparison -->\n| x |\n", "doc.md:1: the table marker has no \"<!-- /table -->\" after it")]
    [InlineData("<!-- table: results.json pie -->\n<!-- /table -->\n", "doc.md:1: the table from results.json: unknown table kind \"pie\"")]
    [InlineData("<!-- table: results.json runs seed=1 -->\n<!-- /table -->\n", "doc.md:1: the table from results.json: the runs table takes no option \"seed\"")]
    [InlineData("\n<!-- table: results.json comparison seed=7 -->\n<!-- /table -->\n", "doc.md:2: the table from results.json: seed=7: the results have seeds 1, 2")]
    [InlineData("<!-- table: missing.json comparison -->\n<!-- /table -->\n", "doc.md:1: the table from missing.json: Could not find file")]
    [InlineData("a\n<!-- /table -->\n", "doc.md:2: a table's end marker without its start")]
    [InlineData("<!-- table:results.json -->\n", "doc.md:1: a table marker must read")]
    public void BadMarkers_AreRefused_NamingTheLine(string document, string expected)
    {
        using var dir = new TempDirectory();
        WriteResults(dir, HandMade());

        var e = Assert.Throws<InvalidDataException>(() => DocumentTables.Render(document, dir.Path, "doc.md"));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultsThatAreNotResults_AreRefused_NamingTheFile()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("results.json", "{\"seeds\": [1], \"rows\": [{\"name\": \"x\", \"kind\": \"Model\", \"values\": [{\"metric\": \"m\", \"key\": \"k\", \"perSeed\": [1, 2]}]}]}");

        var e = Assert.Throws<InvalidDataException>(() => ComparisonResults.Load(path));
        Assert.Equal($"{path}: row \"x\", m k has 2 values for 1 seeds.", e.Message);
        Assert.Throws<InvalidDataException>(() => ComparisonResults.Load(dir.Write("other.json", "{\"rows\": []}")));
        Assert.Throws<InvalidDataException>(() => ComparisonResults.Load(dir.Write("broken.json", "{")));
    }

    /// <summary>
    /// The CI check: every marked table in docs/ equals what its committed results render. When this fails after a new
    /// run, render the document again: <c>ehrsynth tables docs/results.md --write</c>.
    /// </summary>
    [Fact]
    public void EveryPublishedTable_EqualsWhatItsCommittedResultsRender()
    {
        var documents = Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md", SearchOption.AllDirectories)
            .Append(Path.Combine(Repository.Root, "README.md"));
        var problems = documents.SelectMany(DocumentTables.Differences).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
