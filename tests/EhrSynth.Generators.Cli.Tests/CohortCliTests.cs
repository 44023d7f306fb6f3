using System.Text.Json;
using EhrSynth.Generators.Testing;
using static EhrSynth.Generators.Cli.Tests.CliHarness;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary><c>generate --with/--without</c> and <c>compare --study cohorts</c>: cohorts that hold, and misuse that names what is wrong.</summary>
public class CohortCliTests
{
    [Fact]
    public async Task Generate_ACohort_EveryPatientHasTheCodes_AndTheRateIsReported()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        var (code, output, error) = await Run("generate", "--model", model, "--count", "30", "--seed", "2", "--with", "428", "--without", "401", "--output", dir.File("cohort.csv"), "--json");
        Assert.True(code == 0, error);
        var patients = File.ReadLines(dir.File("cohort.csv")).Skip(1).Select(l => l.Split(',')).GroupBy(f => f[0]).ToList();
        Assert.Equal(30, patients.Count);
        Assert.All(patients, p => Assert.Contains(p, f => f[1] == "428"));
        Assert.All(patients, p => Assert.DoesNotContain(p, f => f[1] == "401"));
        var cohort = JsonDocument.Parse(output).RootElement.GetProperty("cohort");
        Assert.Equal("with 428; without 401", cohort.GetProperty("condition").GetString());
        Assert.Equal("Rejection", cohort.GetProperty("method").GetString());
        Assert.InRange(cohort.GetProperty("acceptance_rate").GetDouble(), 0.01, 1);

        (code, output, error) = await Run("generate", "--model", model, "--count", "30", "--with", "428", "--output", dir.File("plain.csv"));
        Assert.True(code == 0, error);
        Assert.Contains("(cohort with 428: rejection sampling, ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_AnUnknownCode_IsBadUsage_NamingIt_BeforeAnyOutput()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        var (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--with", "428,E999", "--without", "428", "--output", dir.File("o.csv"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("'E999' is not in the vocabulary", error, StringComparison.Ordinal);
        Assert.Contains("'428' is both required and excluded", error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("o.csv")));

        (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--min-acceptance", "0.5", "--output", dir.File("o.csv"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--min-acceptance applies to a cohort", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ACohortTheModelRarelyDraws_FailsWithTheRate_NotSpinning()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);

        // Every pair of the small data's codes is next to each other in its list; four codes together almost never occur.
        var (code, _, error) = await Run("generate", "--model", model, "--count", "200", "--with", "401,250,414,584", "--min-acceptance", "0.05", "--output", dir.File("o.csv"));
        Assert.Equal(ExitCodes.TrainingFailed, code);
        Assert.Contains("of the records it samples satisfy with 401, 250, 414, 584", error.Replace("none of the", "of the", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("below the 5.00 % that sampling by rejection accepts", error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("o.csv")));
    }

    [Fact]
    public async Task CohortStudy_WritesTheTableFigureAndResults_AndMisuseIsListed()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir, patients: 300);
        var (code, output, error) = await Run("compare", "--study", "cohorts", "--families", "vae,mst", "--cohorts", "428;428,-250", "--cohort-size", "50",
            "--data", data, "--epochs", "1", "--output", dir.File("study"));
        Assert.True(code == 0, error);
        Assert.Contains("| with 428; without 250 |", output, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("study/cohorts.png")));
        var json = JsonDocument.Parse(File.ReadAllText(dir.File("study/cohorts.json"))).RootElement;
        Assert.Equal(2, json.GetProperty("cohorts").GetArrayLength());
        Assert.Contains(json.GetProperty("generations").EnumerateArray(), g => g.GetProperty("method").GetString() == "ExactConditional");

        (code, _, error) = await Run("compare", "--cohorts", "428", "--cohort-size", "5", "--data", data, "--output", dir.File("x"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--cohorts needs --study cohorts.", error, StringComparison.Ordinal);
        Assert.Contains("--cohort-size needs --study cohorts.", error, StringComparison.Ordinal);

        (code, _, error) = await Run("compare", "--study", "cohorts", "--cohorts", "428,NOPE", "--families", "vae", "--data", data, "--output", dir.File("y"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("'NOPE' is not in the vocabulary", error, StringComparison.Ordinal);

        (code, _, error) = await Run("compare", "--study", "cohorts", "--families", "vae", "--data", data, "--output", dir.File("z"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--study cohorts needs --cohorts for this data", error, StringComparison.Ordinal);
    }
}
