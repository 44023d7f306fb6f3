using System.Text.Json;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary>The paper's LLM setup through the CLI: fine-tuning a local Hugging Face checkpoint, GPT-2 sizes, tokenizers.</summary>
public class LlmCliTests
{
    private static readonly string TinyGpt2 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-gpt2");

    private static Task<(int Code, string Output, string Error)> Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public async Task Train_Pretrained_FineTunesTheBundledTinyCheckpoint_AndTheModelGenerates()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir);
        var (code, output, error) = await Run("train", "--family", "llm", "--pretrained", TinyGpt2, "--data", data, "--output", dir.File("model"), "--epochs", "1", "--json");
        Assert.True(code == 0, error);
        string settings = JsonDocument.Parse(output).RootElement.GetProperty("settings").GetString()!;
        Assert.StartsWith("GPT-2 checkpoint 'tiny-gpt2' with the GPT-2 BPE tokenizer, fine-tuned, 1 epoch(s)", settings, StringComparison.Ordinal);

        // The saved model carries the checkpoint's own BPE files, so generating needs no --pretrained folder.
        Assert.Equal(File.ReadAllBytes(Path.Combine(TinyGpt2, "merges.txt")), File.ReadAllBytes(Path.Combine(dir.File("model"), "hf", "merges.txt")));
        (code, _, error) = await Run("generate", "--model", dir.File("model"), "--count", "12", "--seed", "2", "--output", dir.File("synthetic.csv"));
        Assert.True(code == 0, error);
        Assert.StartsWith("patient_id,code,title\n", File.ReadAllText(dir.File("synthetic.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_ModelPresetAndTokenizer_ChooseTheNetworkTrainedFromScratch()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir);
        var (code, output, error) = await Run("train", "--family", "llm", "--budget", "paper", "--model-preset", "tiny", "--tokenizer", "code", "--data", data, "--output", dir.File("model"), "--epochs", "1", "--json");
        Assert.True(code == 0, error);
        Assert.StartsWith("GPT-2 'tiny' with the code-level tokenizer, from scratch, 1 epoch(s)", JsonDocument.Parse(output).RootElement.GetProperty("settings").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_LlmFlagsOnAnotherFamily_AreRefusedBeforeAnyWork()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await Run("train", "--family", "vae", "--pretrained", TinyGpt2, "--data", "mimic-iii-demo", "--output", dir.File("model"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--pretrained is not an option of vae; it is llm's.", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("model")));
    }

    [Fact]
    public async Task Train_ConflictingLlmFlags_ListEveryProblemInOneError()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await Run("train", "--family", "llm", "--pretrained", dir.File("no-such-folder"), "--model-preset", "gpt2", "--tokenizer", "code", "--data", "mimic-iii-demo", "--output", dir.File("model"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--pretrained and --model-preset cannot be combined", error, StringComparison.Ordinal);
        Assert.Contains("--pretrained needs --tokenizer bpe", error, StringComparison.Ordinal);
        Assert.Contains("no-such-folder' does not exist", error, StringComparison.Ordinal);

        (code, _, error) = await Run("train", "--family", "llm", "--model-preset", "gpt5", "--tokenizer", "words", "--data", "mimic-iii-demo", "--output", dir.File("model"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("Known: distilgpt2, gpt2, gpt2-medium, gpt2-large, small, tiny, mini", error, StringComparison.Ordinal);
        Assert.Contains("--tokenizer must be bpe or code (got 'words')", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComparePaper_WithCheckpointFolders_HasOneFineTunedRowPerFolder_AndNoFromScratchNote()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir, patients: 120);
        var (code, output, error) = await Run("compare", "--budget", "paper", "--families", "llm", "--llm-checkpoints", TinyGpt2, "--data", data, "--output", dir.File("report"), "--epochs", "1", "--json");
        Assert.True(code == 0, error);
        var rows = JsonDocument.Parse(output).RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Contains("LLM (tiny-gpt2)", rows);
        Assert.DoesNotContain("LLM", rows);
        Assert.DoesNotContain("note: the paper fine-tunes", error, StringComparison.Ordinal);

        // The checkpoints are the points of a size study (the paper's Fig. 1 question with real GPT-2 sizes on a GPU).
        Assert.Contains("| LLM (tiny-gpt2) |", File.ReadAllText(dir.File("report/scaling.md")), StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("report/scaling.png")));
    }

    [Fact]
    public async Task ComparePaper_WithoutCheckpoints_SaysWhatItRunsInsteadBeforeAnyTraining()
    {
        using var dir = new TempDirectory();
        string data = CliHarness.SmallData(dir);
        using var cts = new CancellationTokenSource();
        bool noteBeforeTraining = false, training = false;
        var (code, _, error) = await CliHarness.RunWatching(
            line =>
            {
                training |= line.StartsWith("[train]", StringComparison.Ordinal);
                if (line.StartsWith("note: the paper fine-tunes pretrained GPT-2 checkpoints", StringComparison.Ordinal))
                {
                    noteBeforeTraining = !training;
                    cts.Cancel();
                }
            },
            cts.Token,
            "compare", "--budget", "paper", "--families", "llm", "--data", data, "--output", dir.File("report"), "--epochs", "1");
        Assert.True(noteBeforeTraining, error);
        Assert.Contains("trains a DistilGPT2-shaped network from random weights", error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Cancelled, code);
    }

    [Fact]
    public async Task Compare_CheckpointsMisused_ListEveryProblemBeforeAnyWork()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await Run("compare", "--budget", "quick", "--families", "vae", "--llm-checkpoints", $"{dir.File("a")},{TinyGpt2}", "--data", "mimic-iii-demo", "--output", dir.File("report"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("use it with --budget paper (got quick", error, StringComparison.Ordinal);
        Assert.Contains("--llm-checkpoints needs llm among the compared families", error, StringComparison.Ordinal);
        Assert.Contains("is not a Hugging Face GPT-2 folder (no config.json)", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("report")));
    }
}
