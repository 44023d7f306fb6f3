using System.Text.Json;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary>The studies of <c>compare --study</c>: rows of one family that differ in one choice.</summary>
public class StudyCliTests
{
    private static Task<(int Code, string Output, string Error)> Run(params string[] args) => CliHarness.Run(args);

    private static (List<string?> Rows, Dictionary<string, string> Settings) Parse(string output)
    {
        var root = JsonDocument.Parse(output).RootElement;
        var rows = root.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        var settings = root.GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("family").GetString()!, r => r.GetProperty("settings").GetString()!);
        return (rows, settings);
    }

    [Fact]
    public async Task Decoding_TrainsAConstrainedAndAnUnconstrainedRow_AtTheSameSettings()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir, patients: 120);
        var (code, output, error) = await Run("compare", "--study", "decoding", "--data", data, "--output", dir.File("report"), "--epochs", "1", "--json");
        Assert.True(code == 0, error);
        var (rows, settings) = Parse(output);
        Assert.Contains("LLM (constrained)", rows);
        Assert.Contains("LLM (unconstrained)", rows);
        Assert.DoesNotContain("VAE", rows);
        Assert.EndsWith(", constrained decoding", settings["LLM (constrained)"], StringComparison.Ordinal);
        Assert.Equal(settings["LLM (unconstrained)"] + ", constrained decoding", settings["LLM (constrained)"]);

        // The paper's sentence, not the quick preset's shorter one (which the settings line would name).
        Assert.DoesNotContain("sentence", settings["LLM (constrained)"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LlmSize_HasOneRowPerSizeAndTokenizer()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir, patients: 120);
        var (code, output, error) = await Run("compare", "--study", "llm-size", "--llm-sizes", "tiny", "--data", data, "--output", dir.File("report"), "--epochs", "1", "--json");
        Assert.True(code == 0, error);
        var (rows, settings) = Parse(output);
        Assert.Contains("LLM (tiny, code)", rows);
        Assert.Contains("LLM (tiny, bpe)", rows);
        Assert.StartsWith("GPT-2 'tiny' with the code-level tokenizer, from scratch", settings["LLM (tiny, code)"], StringComparison.Ordinal);
        Assert.StartsWith("GPT-2 'tiny' with the GPT-2 BPE tokenizer, from scratch", settings["LLM (tiny, bpe)"], StringComparison.Ordinal);
        Assert.All(settings.Values, s => Assert.DoesNotContain("sentence", s, StringComparison.Ordinal));

        // The size study's own table and figure, with each point's size: GPT-2 'tiny' (2 layers, width 128, 128
        // positions) on the 50,257-token BPE vocabulary has 50,257·128 + 128·128 + 2·(12·128² + 13·128) + 2·128 parameters.
        var bpe = JsonDocument.Parse(output).RootElement.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("family").GetString() == "LLM (tiny, bpe)");
        Assert.Equal(6_846_080, bpe.GetProperty("parameters").GetInt64());
        Assert.Equal("tokens", bpe.GetProperty("processedUnit").GetString());
        string table = File.ReadAllText(dir.File("report/scaling.md"));
        Assert.Contains("| LLM (tiny, bpe) | 6,846,080 |", table, StringComparison.Ordinal);
        Assert.Contains("| Independent marginals (floor) |", table, StringComparison.Ordinal);
        Assert.True(new FileInfo(dir.File("report/scaling.png")).Length > 1000);
    }

    [Fact]
    public async Task EhrDiffVersion_TrainsAV2AndAV1Row_NamedInTheirSettings()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir, patients: 120);
        var (code, output, error) = await Run("compare", "--study", "ehrdiff-version", "--data", data, "--output", dir.File("report"), "--epochs", "1", "--json");
        Assert.True(code == 0, error);
        var (rows, settings) = Parse(output);
        Assert.Equal(["EHRDiff (v2)", "EHRDiff (v1)"], rows.Where(r => r!.StartsWith("EHRDiff", StringComparison.Ordinal)));
        Assert.StartsWith("EHRDiff (EDM): v1, ", settings["EHRDiff (v1)"], StringComparison.Ordinal);
        Assert.DoesNotContain("v1", settings["EHRDiff (v2)"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binarization_ShowsEachProbabilisticFamilyThresholdedAndBernoulli()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir, patients: 240);
        var (code, output, error) = await Run("compare", "--study", "binarization", "--data", data, "--output", dir.File("report"), "--epochs", "1", "--json");
        Assert.True(code == 0, error);
        var (rows, settings) = Parse(output);
        foreach (string family in new[] { "VAE", "medGAN", "CorGAN" })
        {
            Assert.Contains($"{family} (0.5 threshold)", rows);
            Assert.Contains($"{family} (Bernoulli)", rows);
            Assert.Contains(", thresholded at 0.5", settings[$"{family} (0.5 threshold)"], StringComparison.Ordinal);
            Assert.DoesNotContain("thresholded", settings[$"{family} (Bernoulli)"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StudyMisuse_IsListedInOneErrorBeforeAnyWork()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await Run("compare", "--study", "llm-size", "--llm-sizes", "tiny,gpt5", "--families", "vae", "--data", "mimic-iii-demo", "--output", dir.File("report"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--study chooses the rows itself: leave out --families", error, StringComparison.Ordinal);
        Assert.Contains("--llm-sizes:", error, StringComparison.Ordinal);

        (code, _, error) = await Run("compare", "--study", "sizes", "--data", "mimic-iii-demo", "--output", dir.File("report"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--study must be binarization, ehrdiff-version, decoding, llm-size, cohorts (got 'sizes')", error, StringComparison.Ordinal);

        (code, _, error) = await Run("compare", "--study", "llm-size", "--llm-tokenizers", "code,wordpiece", "--data", "mimic-iii-demo", "--output", dir.File("report"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--llm-tokenizers takes code and/or bpe (got 'wordpiece')", error, StringComparison.Ordinal);

        (code, _, error) = await Run("compare", "--study", "decoding", "--llm-tokenizers", "code", "--data", "mimic-iii-demo", "--output", dir.File("report"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--llm-tokenizers needs --study llm-size", error, StringComparison.Ordinal);

        (code, _, error) = await Run("compare", "--study", "llm-size", "--llm-sizes", "mini", "--dp-epsilon", "3", "--data", "mimic-iii-demo", "--output", dir.File("report"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--study llm-size compares its own rows only", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("report")));
    }

    [Fact]
    public async Task Binarization_WithACatalogWithoutTheLlm_TakesItsRowsFromTheFamiliesThatDeclareIt()
    {
        // Issue #33: the studies used to find the LLM by name first, so a catalog without it could run no study at all.
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir, patients: 120);
        var catalog = new Families.GeneratorCatalog(BuiltInFamilies.Catalog.Where(f => f.Name is "vae" or "medgan"));
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await EhrSynthCli.RunAsync(["compare", "--study", "binarization", "--data", data, "--output", dir.File("report"), "--epochs", "1", "--json"], catalog, output, error, false, null, CancellationToken.None);
        Assert.True(code == 0, error.ToString());
        Assert.Equal(["VAE (0.5 threshold)", "VAE (Bernoulli)", "medGAN (0.5 threshold)", "medGAN (Bernoulli)"], Parse(output.ToString()).Rows.Where(r => r!.Contains('(') && !r.StartsWith("Pairwise", StringComparison.Ordinal)).ToList());

        error = new StringWriter();
        code = await EhrSynthCli.RunAsync(["compare", "--study", "decoding", "--data", data, "--output", dir.File("report2")], catalog, new StringWriter(), error, false, null, CancellationToken.None);
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--study must be binarization, cohorts (got 'decoding')", error.ToString(), StringComparison.Ordinal);
    }
}
