using System.Text.Json;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Cli.Tests;

public class CliTests
{
    private static Task<(int Code, string Output, string Error)> Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public async Task Datasets_ListsBothWithStatistics()
    {
        var (code, output, _) = await Run("datasets", "--json");
        Assert.Equal(0, code);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(100, rows.Single(r => r.GetProperty("name").GetString() == "mimic-iii-demo").GetProperty("patients").GetInt32());
        Assert.Equal(881, rows.Single(r => r.GetProperty("name").GetString() == "uci-diabetes-130").GetProperty("codes").GetInt32());
    }

    [Theory]
    [InlineData(new[] { "train" }, "--family")]
    [InlineData(new[] { "train", "--family", "gan9000", "--output", "x" }, "Unknown model family 'gan9000'")]
    [InlineData(new[] { "generate", "--model", "m", "--count", "ten", "--output", "o.csv" }, "ten")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "compare", "--budget", "huge" }, "--budget must be one of quick, long, paper")]
    public async Task BadUsage_ExitsWith1(string[] args, string expected)
    {
        var (code, _, error) = await Run(args);
        Assert.Equal(1, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFiles_ExitWith2_NamingFileAndLine()
    {
        using var dir = new TempDirectory();
        var bad = dir.Write("bad.csv", "patient_id,code\nx,401\ny,401,extra\n");
        var (code, _, error) = await Run("evaluate", "--real", bad, "--synthetic", bad);
        Assert.Equal(2, code);
        Assert.Contains("bad.csv, line 3: expected 2 fields, found 3", error, StringComparison.Ordinal);

        (code, _, error) = await Run("generate", "--model", dir.File("nothing"), "--count", "3", "--output", dir.File("o.csv"));
        Assert.Equal(2, code);
        Assert.Contains("generator.json is missing", error, StringComparison.Ordinal);

        (code, _, error) = await Run("train", "--family", "vae", "--data", dir.File("missing.csv"), "--output", dir.File("m"));
        Assert.Equal(2, code);
        Assert.Contains("missing.csv", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vae")]
    [InlineData("llm")]
    [InlineData("ehrdiff")]
    public async Task TrainGenerateEvaluate_OnTheMimicDemo(string family)
    {
        using var dir = new TempDirectory();
        var (code, output, error) = await Run("train", "--family", family, "--data", "mimic-iii-demo", "--output", dir.File("model"), "--epochs", "1", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(100, JsonDocument.Parse(output).RootElement.GetProperty("patients").GetInt32());

        (code, _, error) = await Run("generate", "--model", dir.File("model"), "--count", "60", "--seed", "3", "--output", dir.File("synthetic.csv"));
        Assert.True(code == 0, error);
        Assert.StartsWith("patient_id,code,title\n", File.ReadAllText(dir.File("synthetic.csv")), StringComparison.Ordinal);

        (code, _, error) = await Run("generate", "--model", dir.File("model"), "--count", "60", "--seed", "3", "--output", dir.File("synthetic.npy"));
        Assert.True(code == 0, error);
        Assert.True(File.Exists(dir.File("synthetic.codes.txt")));

        (code, output, error) = await Run("evaluate", "--real", "mimic-iii-demo", "--synthetic", dir.File("synthetic.csv"), "--train", "mimic-iii-demo",
            "--metrics", "Dimension-wise distribution,Record length,Exact copies", "--output-json", dir.File("values.json"), "--output-md", dir.File("report.md"), "--json");
        Assert.True(code == 0, error);
        var values = JsonDocument.Parse(output).RootElement.GetProperty("values").EnumerateArray().ToList();
        Assert.Contains(values, v => v.GetProperty("key").GetString() == "pearson");
        Assert.Contains(values, v => v.GetProperty("key").GetString() == "copy_rate");
        Assert.DoesNotContain(values, v => v.GetProperty("metric").GetString() == "NNAAR");
        Assert.True(File.Exists(dir.File("values.json")));
        Assert.Contains("## Every metric", File.ReadAllText(dir.File("report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_UnknownMetric_ListsTheAvailableOnes()
    {
        var (code, _, error) = await Run("evaluate", "--real", "mimic-iii-demo", "--synthetic", "mimic-iii-demo", "--metrics", "Vibes");
        Assert.Equal(1, code);
        Assert.Contains("Unknown metric(s) Vibes. Available: Dimension-wise distribution", error, StringComparison.Ordinal);
    }
}
