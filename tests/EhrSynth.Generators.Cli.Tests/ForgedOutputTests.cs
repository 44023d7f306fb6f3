using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Reporting;
using EhrSynth.Generators.Testing;
using static EhrSynth.Generators.Cli.Tests.CliHarness;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary>
/// An attacker who can write into an output folder plants a forged <c>.ehrsynth-output.json</c> that lists a path
/// through a symbolic link (or a hidden leftover sibling that does): every kind of output — <c>train</c>, <c>compare</c>,
/// checkpoints, <c>Save</c> and report folders — refuses with exit code 4 and deletes nothing outside. On main at
/// 8ad5607 each of these deleted <c>elsewhere/victim.txt</c>.
/// </summary>
public class ForgedOutputTests
{
    [Fact]
    public async Task Train_IntoAFolderWhoseForgedMarkerPassesThroughALink_Exits4AndDeletesNothing()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        var (victim, output) = Plant(dir, "m");

        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--data", data, "--output", output);

        Assert.Equal(4, code);
        Assert.Contains("symbolic link", error, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", error, StringComparison.Ordinal);      // refused before training
        AssertUntouched(dir, victim);
    }

    [Fact]
    public async Task Compare_IntoAFolderWhoseForgedMarkerPassesThroughALink_Exits4AndDeletesNothing()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        var (victim, output) = Plant(dir, "report");

        var (code, _, error) = await Run("compare", "--families", "vae", "--epochs", "1", "--data", data, "--output", output);

        Assert.Equal(4, code);
        Assert.DoesNotContain("epoch", error, StringComparison.Ordinal);
        AssertUntouched(dir, victim);
    }

    [Fact]
    public async Task Train_WithCheckpointsInAForgedFolder_Exits4AndDeletesNothing()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        var (victim, checkpoints) = Plant(dir, "ckpt");

        var (code, _, _) = await Run("train", "--family", "vae", "--epochs", "1", "--data", data, "--output", dir.File("m"), "--checkpoints", checkpoints);

        Assert.Equal(4, code);
        Assert.False(Directory.Exists(dir.File("m")));
        AssertUntouched(dir, victim);
    }

    [Fact]
    public async Task Train_IntoANewFolderBesideAPlantedLeftover_Exits4AndDeletesNothing()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        string victim = dir.Write("elsewhere/victim.txt", "thesis");
        string sibling = dir.File($".m2.{Guid.NewGuid():N}.ehrsynth-old");
        Directory.CreateDirectory(sibling);
        Directory.CreateSymbolicLink(Path.Combine(sibling, "sub"), dir.File("elsewhere"));
        Forge(sibling, "sub/victim.txt");

        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--data", data, "--output", dir.File("m2"));

        Assert.Equal(4, code);
        Assert.Contains(Path.GetFileName(sibling), error, StringComparison.Ordinal);
        Assert.Equal("thesis", File.ReadAllText(victim));
    }

    [Fact]
    public async Task Train_OutputThatIsALinkToAnEarlierModel_LandsInTheTarget_AndTheLinkStays()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir, folder: "models/run1");
        string link = dir.File("latest");
        Directory.CreateSymbolicLink(link, model);
        string data = SmallData(dir);

        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--seed", "2", "--data", data, "--output", link);

        Assert.True(code == 0, error);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Contains("\"trainingSeed\": 2", File.ReadAllText(Path.Combine(model, "generator.json")), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.File("models")), e => Path.GetFileName(e).Contains("ehrsynth-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Train_OutputUnderAnExistingFile_FailsBeforeTraining()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        string file = dir.Write("existing.csv", "keep me");

        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "3", "--data", data, "--output", Path.Combine(file, "model"));

        Assert.Equal(4, code);
        Assert.Contains("existing.csv is a file", error, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", error, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public async Task Save_IntoAForgedFolder_ThrowsAndDeletesNothing()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        using var generator = BuiltInFamilies.Catalog.Find("vae").Load(model);
        var (victim, output) = Plant(dir, "saved");

        Assert.Throws<OutputConflictException>(() => generator.Save(output));

        AssertUntouched(dir, victim);
    }

    [Fact]
    public void ComparisonReport_IntoAForgedFolder_ThrowsAndDeletesNothing()
    {
        using var dir = new TempDirectory();
        var (victim, output) = Plant(dir, "report");
        var row = new SuiteRow("x", RowKind.Model, [new MetricResult("Record length", [new MetricValue("mean_synthetic", 1, MetricDirection.Descriptive, "mean")])], TimeSpan.Zero);

        Assert.Throws<OutputConflictException>(() => ComparisonReport.Write(output, new SuiteReport([row]), new ReportContext("t")));

        AssertUntouched(dir, victim);
    }

    /// <summary>
    /// <c>elsewhere/victim.txt</c> and <c>elsewhere/deep/z.txt</c>, and a folder <paramref name="name"/> holding a link
    /// <c>sub</c> to <c>elsewhere</c> and a marker that lists both files through it.
    /// </summary>
    private static (string Victim, string Output) Plant(TempDirectory dir, string name)
    {
        string victim = dir.Write("elsewhere/victim.txt", "thesis");
        dir.Write("elsewhere/deep/z.txt", "data");
        string output = dir.File(name);
        Directory.CreateDirectory(output);
        Directory.CreateSymbolicLink(Path.Combine(output, "sub"), dir.File("elsewhere"));
        Forge(output, "sub/victim.txt", "sub/deep/z.txt");
        return (victim, output);
    }

    private static void AssertUntouched(TempDirectory dir, string victim)
    {
        Assert.Equal("thesis", File.ReadAllText(victim));
        Assert.Equal("data", File.ReadAllText(dir.File("elsewhere/deep/z.txt")));
    }

    private static void Forge(string folder, params string[] files) =>
        File.WriteAllText(Path.Combine(folder, ".ehrsynth-output.json"),
            System.Text.Json.JsonSerializer.Serialize(new { Writer = "EhrSynth.Generators", Version = 1, Files = files }));
}
