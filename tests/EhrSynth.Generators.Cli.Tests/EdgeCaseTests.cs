using System.Diagnostics;
using System.Text.Json;
using EhrSynth.Generators.Testing;
using static EhrSynth.Generators.Cli.Tests.CliHarness;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary>
/// The last rough edges of issue #28, each measured on main at 8ad5607: tiny data ends the whole evaluation, a pipe
/// without a writer ignores Ctrl+C, and messages that name the wrong thing (or file content).
/// </summary>
public class EdgeCaseTests
{
    // ---- A metric that cannot be computed is reported as such; everything else still is ----------------------------

    [Fact]
    public async Task Evaluate_OnePatientOnEitherSide_ReportsWhatCannotBeComputed_AndExits0()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        string one = dir.Write("one.csv", "patient_id,code\np1,401\np1,428\n");

        var (code, output, error) = await Run("evaluate", "--real", data, "--synthetic", one);
        Assert.True(code == 0, error);
        Assert.Contains("n/c", output, StringComparison.Ordinal);
        Assert.Contains("not computed: Covariance resampling (one.csv): 10 groups need at least 10 patients per side; the smaller side has 1", output, StringComparison.Ordinal);
        Assert.Contains("0.", output, StringComparison.Ordinal);                        // the other metrics have values

        (code, output, error) = await Run("evaluate", "--real", one, "--synthetic", data, "--train", data, "--allow-unknown-codes", "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var missing = json.RootElement.GetProperty("notComputed").EnumerateArray().Select(m => m.GetProperty("metric").GetString()).ToList();
        Assert.Equal(["Covariance resampling", "NNAAR"], missing);
        Assert.Contains(json.RootElement.GetProperty("values").EnumerateArray(), v => v.GetProperty("metric").GetString() == "Exact copies");
    }

    [Fact]
    public async Task Compare_OnTwentyPatients_WritesItsReport_WithTheMissingMetricExplained()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir, patients: 20);

        var (code, output, error) = await Run("compare", "--families", "vae", "--epochs", "1", "--data", data, "--output", dir.File("r"));

        Assert.True(code == 0, error);
        Assert.Contains("not computed: Covariance resampling (all rows)", output, StringComparison.Ordinal);
        string report = File.ReadAllText(dir.File("r/report.md"));
        Assert.Contains("Not computed (n/c): Covariance resampling (all rows): 10 groups need at least 10 patients per side; the smaller side has 4.", report, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("r/fig1-prevalence.png")));
        Assert.False(File.Exists(dir.File("r/fig2-covariance.png")));                  // nothing to plot, said in the report
        Assert.Contains("\"notComputed\"", File.ReadAllText(dir.File("r/results.json")), StringComparison.Ordinal);
    }

    // ---- Waiting on input honours cancellation ------------------------------------------------------------------------

    [Fact]
    public async Task Train_FromAPipeWithoutAWriter_EndsOnCancellationWithExit130()
    {
        using var dir = new TempDirectory();
        string fifo = dir.File("data.csv");
        if (!MakeFifo(fifo))
        {
            return;                                                                         // no mkfifo (Windows)
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var run = Task.Run(() => Run(cts.Token, "train", "--family", "vae", "--epochs", "1", "--data", fifo, "--output", dir.File("m")));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));

        if (finished != run)
        {
            File.WriteAllText(fifo, "patient_id,code\n");                                  // release the reader before failing
        }

        Assert.Same(run, finished);                                                         // on main it waited forever
        var (code, _, error) = await run;
        Assert.Equal(130, code);
        Assert.Contains("cancelled", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("m")));
    }

    // ---- Messages name the user's path and option, with the documented exit code ------------------------------------

    [Fact]
    public async Task EmptyOptionValues_AreBadUsageNamingTheOption()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);

        var (code, _, error) = await Run("train", "--family", "vae", "--data", data, "--output", "");
        Assert.Equal(1, code);
        Assert.Contains("--output was given an empty value", error, StringComparison.Ordinal);

        (code, _, error) = await Run("compare", "--families", "", "--data", data, "--output", dir.File("r"));
        Assert.Equal(1, code);
        Assert.Contains("--families was given an empty value", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--budget", error, StringComparison.Ordinal);

        (code, _, error) = await Run("compare", "--families", ",", "--data", data, "--output", dir.File("r"));
        Assert.Equal(1, code);
        Assert.Contains("--families names no family", error, StringComparison.Ordinal);
        Assert.Contains("vae, medgan", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_IntoAPlaceTheFileSystemRefuses_Exits4NamingTheOutput()
    {
        if (!Directory.Exists("/proc/self"))
        {
            return;                                                                         // Linux only
        }

        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);

        var (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--output", "/proc/x.csv");

        Assert.Equal(4, code);
        Assert.Contains("/proc/x.csv: could not be written", error, StringComparison.Ordinal);
        Assert.DoesNotContain("ehrsynth-tmp", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_WeightsThatAreALinkToText_SaysItIsNotSafetensors_WithoutEchoingTheContent()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        string weights = Path.Combine(model, "model.safetensors");
        File.Delete(weights);
        string text = dir.Write("notes.txt", "hello world this is text\n");
        File.CreateSymbolicLink(weights, text);

        var (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--output", dir.File("o.csv"));

        Assert.Equal(2, code);
        Assert.Contains("not a safetensors file", error, StringComparison.Ordinal);
        Assert.DoesNotContain("8,031,924,123,371,070,824", error, StringComparison.Ordinal);   // "hello wo" as a number
    }

    [Fact]
    public async Task Generate_LlmFolderWhoseCodesDoNotFitItsModel_Exits2NamingTheFolder()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir, family: "llm");
        string manifest = Path.Combine(model, "generator.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        var codes = json["codes"]!.AsArray();
        for (int i = 0; i < 40; i++)
        {
            codes.Add($"X{i:D2}");                                                          // more codes than the saved model has tokens
        }

        json.Remove("titles");
        File.WriteAllText(manifest, json.ToJsonString());

        var (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--output", dir.File("o.csv"));

        Assert.Equal(2, code);
        Assert.Contains(manifest, error, StringComparison.Ordinal);
        Assert.Contains("vocabulary", error, StringComparison.Ordinal);
    }

    private static bool MakeFifo(string path)
    {
        try
        {
            using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false });
            mkfifo!.WaitForExit();
            return mkfifo.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
