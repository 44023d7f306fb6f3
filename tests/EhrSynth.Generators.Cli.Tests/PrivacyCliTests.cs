using System.Text.Json;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary>Differentially private training from the command line: <c>--dp-epsilon</c>, <c>--dp-delta</c>, <c>--dp-clip</c>.</summary>
public class PrivacyCliTests
{
    private static Task<(int Code, string Output, string Error)> Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public async Task Train_DpEpsilon_TrainsPrivatelyOnThePublicVocabulary_AndReportsTheGuarantee()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir, patients: 700);
        var (code, output, error) = await Run("train", "--family", "vae", "--data", data, "--output", dir.File("model"), "--epochs", "1", "--dp-epsilon", "8", "--dp-delta", "1e-4", "--json");
        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Contains("DP-SGD to ε = 8 at δ = 1e-4, C = 1", json.GetProperty("settings").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("(ε = 8, δ = 1e-4) · σ ", json.GetProperty("privacy").GetString(), StringComparison.Ordinal);
        Assert.Contains("built over the 1,234 ICD-9 categories of the CMS list (public), not over the 8 codes seen in the data", error, StringComparison.Ordinal);

        // The saved model is over the public list and keeps its guarantee.
        (code, _, error) = await Run("generate", "--model", dir.File("model"), "--count", "5", "--output", dir.File("synthetic.csv"));
        Assert.True(code == 0, error);
        Assert.Contains("\"privacy\"", File.ReadAllText(Path.Combine(dir.File("model"), "generator.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_DpEpsilon_EhrDiffMatchesItsThresholdsToPrivatelyReleasedPrevalences_AtTheAskedBatch()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir, patients: 700);
        var (code, output, error) = await Run("train", "--family", "ehrdiff", "--data", data, "--output", dir.File("model"), "--epochs", "1", "--dp-epsilon", "8", "--dp-delta", "1e-4", "--dp-batch", "70", "--json");
        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Contains("C = 1, expected batch 70 (", json.GetProperty("settings").GetString(), StringComparison.Ordinal);
        Assert.Contains("q 0.1, 10 steps", json.GetProperty("privacy").GetString(), StringComparison.Ordinal);   // 70 of 700 patients
        Assert.Contains("thresholds matched to prevalences released with z = 20, K = 10, inside ε", json.GetProperty("settings").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(", prevalences z 20, K 10", json.GetProperty("privacy").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("(ε = 8, δ = 1e-4)", json.GetProperty("privacy").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_DpEpsilonOnAGan_IsRefusedBeforeAnyWork()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await Run("train", "--family", "medgan", "--data", "mimic-iii-demo", "--output", dir.File("model"), "--dp-epsilon", "3");
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("medGAN has no private fit", error, StringComparison.Ordinal);
        Assert.Contains("vae, ehrdiff, ddpm, llm, mst", error, StringComparison.Ordinal);             // read from the families' declarations
        Assert.False(Directory.Exists(dir.File("model")));
    }

    [Fact]
    public async Task DpFlags_ListEveryProblemInOneError()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await Run("train", "--family", "vae", "--data", "mimic-iii-demo", "--output", dir.File("model"), "--dp-epsilon", "0,x", "--dp-delta", "2", "--dp-clip", "-1", "--dp-batch", "0");
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--dp-epsilon takes positive numbers (got '0')", error, StringComparison.Ordinal);
        Assert.Contains("--dp-epsilon takes positive numbers (got 'x')", error, StringComparison.Ordinal);
        Assert.Contains("--dp-delta must be in (0, 1) (got 2)", error, StringComparison.Ordinal);
        Assert.Contains("--dp-clip must be a positive number (got -1)", error, StringComparison.Ordinal);
        Assert.Contains("--dp-batch must be a positive integer (got 0)", error, StringComparison.Ordinal);

        (code, _, error) = await Run("train", "--family", "vae", "--data", "mimic-iii-demo", "--output", dir.File("model"), "--dp-delta", "1e-6");
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--dp-delta, --dp-clip and --dp-batch need --dp-epsilon", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_DpEpsilonList_AddsOnePrivateRowPerEpsilon_AndNotesTheFamiliesWithout()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir, patients: 700);
        var (code, output, error) = await Run("compare", "--families", "vae,medgan", "--data", data, "--output", dir.File("report"), "--epochs", "1", "--dp-epsilon", "3,8", "--dp-delta", "1e-4", "--json");
        Assert.True(code == 0, error);
        var rows = JsonDocument.Parse(output).RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Contains("VAE", rows);
        Assert.Contains("medGAN", rows);
        Assert.Contains("VAE (DP ε = 3)", rows);
        Assert.Contains("VAE (DP ε = 8)", rows);
        Assert.DoesNotContain(rows, r => r!.StartsWith("medGAN (DP", StringComparison.Ordinal));
        Assert.Contains("note: medGAN has no private fit", error, StringComparison.Ordinal);

        // The sweep's own table and figure: the VAE's line (non-private, ε 8, ε 3) between the floor and the ceiling;
        // medGAN, which has no private rows, stays out of it.
        string[] table = File.ReadAllText(dir.File("report/privacy-sweep.md")).TrimEnd().Split('\n');
        // The private floor (the floor's prevalences released at each ε) is its own line.
        Assert.Equal(["Independent marginals (floor)", "Pairwise tree (Chow–Liu) (reference)", "VAE", "VAE (DP ε = 8)", "VAE (DP ε = 3)", "Independent marginals (DP ε = 8)", "Independent marginals (DP ε = 3)", "Real train (ceiling)"],
            table.Skip(2).Select(l => l.Split('|')[1].Trim()));
        Assert.Equal(["", "", "∞ (non-private)", "8", "3", "8", "3", ""], table.Skip(2).Select(l => l.Split('|')[2].Trim()));
        Assert.Contains("prevalences released with the Gaussian mechanism at ε = 3", JsonDocument.Parse(output).RootElement.GetProperty("runs").EnumerateArray()
            .Single(r => r.GetProperty("family").GetString() == "Independent marginals (DP ε = 3)").GetProperty("settings").GetString(), StringComparison.Ordinal);
        Assert.True(new FileInfo(dir.File("report/privacy-sweep.png")).Length > 1000);

        // Every private run carries its guarantee (ε, δ, σ, q, steps, C) in results.json and the report; others none.
        var runs = JsonDocument.Parse(output).RootElement.GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("family").GetString()!, r => r.GetProperty("privacy"));
        Assert.Equal(JsonValueKind.Null, runs["VAE"].ValueKind);
        var p = runs["VAE (DP ε = 3)"];
        Assert.InRange(p.GetProperty("epsilon").GetDouble(), 2.5, 3.0);             // calibrated to spend at most the target
        Assert.Equal(1e-4, p.GetProperty("delta").GetDouble());
        Assert.Equal(1.0, p.GetProperty("clipNorm").GetDouble());
        Assert.True(p.GetProperty("noiseMultiplier").GetDouble() > runs["VAE (DP ε = 8)"].GetProperty("noiseMultiplier").GetDouble(), "a smaller ε needs more noise");
        Assert.True(p.GetProperty("steps").GetInt64() > 0);
        Assert.InRange(p.GetProperty("sampleRate").GetDouble(), 0, 1);
        Assert.Contains("VAE (DP ε = 3), seed 1: differentially private, (ε = ", File.ReadAllText(dir.File("report/report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mst_PrivateByDeclaration_SweepsWithItsNoiselessRow_AndTrainsOnThePublicList()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir, patients: 400);
        var (code, output, error) = await Run("compare", "--families", "mst", "--data", data, "--output", dir.File("report"), "--dp-epsilon", "3", "--dp-delta", "1e-4", "--json");
        Assert.True(code == 0, error);
        var rows = JsonDocument.Parse(output).RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Independent marginals", "Pairwise tree (Chow–Liu)", "MST (no noise)", "MST (DP ε = 3)", "Independent marginals (DP ε = 3)", "Real train"], rows);
        var privacy = JsonDocument.Parse(output).RootElement.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("family").GetString() == "MST (DP ε = 3)").GetProperty("privacy");
        Assert.Equal(3, privacy.GetProperty("epsilon").GetDouble());
        Assert.True(privacy.GetProperty("rho").GetDouble() > 0);
        Assert.Contains("ICD-9 categories of the CMS list (public)", error, StringComparison.Ordinal);

        // Without --dp-epsilon MST is still private (its preset's ε), so its data goes on the public list too.
        (code, output, error) = await Run("train", "--family", "mst", "--data", data, "--output", dir.File("m"));
        Assert.True(code == 0, error);
        Assert.Contains("ICD-9 categories of the CMS list (public)", error, StringComparison.Ordinal);
        Assert.Contains("Privacy: (ε = 1, δ = 1e-9) · ρ", output, StringComparison.Ordinal);
    }
}
