using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EhrSynth.Generators.Testing;
using static EhrSynth.Generators.Cli.Tests.CliHarness;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary>
/// What the command line promises (docs/reliability.md): it never deletes or overwrites what it did not create, outputs
/// appear whole or not at all, hostile or corrupt inputs end as one line and a documented exit code in bounded memory.
/// </summary>
public class ReliabilityTests
{
    // ---- Data loss -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Train_IntoAFolderWithForeignFiles_RefusesAndKeepsThem()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        string victim = dir.File("victim");
        Directory.CreateDirectory(Path.Combine(victim, "sub"));
        File.WriteAllText(Path.Combine(victim, "thesis.txt"), "x");

        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--data", data, "--output", victim);

        Assert.Equal(4, code);
        Assert.Contains("thesis.txt", error, StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(Path.Combine(victim, "thesis.txt")));
        Assert.True(Directory.Exists(Path.Combine(victim, "sub")));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path), e => Path.GetFileName(e).StartsWith(".victim", StringComparison.Ordinal) is false && Path.GetFileName(e) == "victim");
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path), e => Path.GetFileName(e).Contains("ehrsynth-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Train_IntoItsOwnEarlierOutput_ReplacesIt()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        string data = SmallData(dir);
        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--seed", "2", "--data", data, "--output", model);
        Assert.True(code == 0, error);
        Assert.Contains("\"trainingSeed\": 2", File.ReadAllText(Path.Combine(model, "generator.json")), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path), e => Path.GetFileName(e).Contains("ehrsynth-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_IntoAFolderWithForeignFiles_RefusesBeforeTraining()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        string report = dir.Write("report/notes.md", "mine");
        var (code, _, error) = await Run("compare", "--families", "vae", "--epochs", "1", "--data", data, "--output", dir.File("report"));
        Assert.Equal(4, code);
        Assert.Contains("notes.md", error, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", error, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(report));
    }

    // ---- Outputs checked before any work -------------------------------------------------------------------------

    [Fact]
    public async Task Train_OutputThatIsAFile_FailsBeforeTraining()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        string file = dir.Write("existing.csv", "keep me");
        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "3", "--data", data, "--output", file);
        Assert.Equal(4, code);
        Assert.DoesNotContain("epoch", error, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public async Task Generate_OutputThatIsADirectory_Exits4()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        Directory.CreateDirectory(dir.File("out.csv"));
        var (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--output", dir.File("out.csv"));
        Assert.Equal(4, code);
        Assert.Contains("out.csv", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ExistingFile_IsKeptUnlessOverwriteIsGiven()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        string target = dir.Write("out.csv", "precious");
        var (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--output", target);
        Assert.Equal(4, code);
        Assert.Contains("--overwrite", error, StringComparison.Ordinal);
        Assert.Equal("precious", File.ReadAllText(target));

        (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--output", target, "--overwrite");
        Assert.True(code == 0, error);
        Assert.StartsWith("patient_id,code", File.ReadAllText(target), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_OutputJsonThatIsADirectory_Exits4()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        Directory.CreateDirectory(dir.File("values.json"));
        var (code, _, error) = await Run("evaluate", "--real", data, "--synthetic", data, "--output-json", dir.File("values.json"));
        Assert.Equal(4, code);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    // ---- Hostile and corrupt model folders -----------------------------------------------------------------------

    public static TheoryData<string> CorruptWeights => new()
    {
        "truncated",
        "header-length-1GB",
        "header-not-json",
        "offsets-past-end",
        "offsets-overlap",
        "shape-lies",
        "dtype-unknown",
        "shape-negative",
    };

    [Theory]
    [MemberData(nameof(CorruptWeights))]
    public async Task Generate_CorruptWeights_Exits2NamingTheFile(string corruption)
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        string weights = Path.Combine(model, "model.safetensors");
        Corrupt(weights, corruption);
        var (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--output", dir.File("o.csv"));
        Assert.Equal(2, code);
        Assert.Contains("model.safetensors", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("o.csv")));
    }

    public static TheoryData<string, string> CorruptManifests => new()
    {
        { "options", "null" },
        { "codes", "null" },
        { "codes", "42" },
        { "options.latentDim", "\"wide\"" },
        { "options.architecture", "\"Quantum\"" },
        { "options.latentDim", "0" },
        { "family", "null" },
        { "titles", "\"not a list\"" },
        { "trainingSeed", "\"one\"" },
    };

    [Theory]
    [MemberData(nameof(CorruptManifests))]
    public async Task Generate_CorruptManifest_Exits2(string field, string json)
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        string manifest = Path.Combine(model, "generator.json");
        var root = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        var (parent, key) = Navigate(root, field);
        parent[key] = JsonNode.Parse(json);
        File.WriteAllText(manifest, root.ToJsonString());
        var (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--output", dir.File("o.csv"));
        Assert.Equal(2, code);
        Assert.Contains("generator.json", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("n_embd", 1_000_000)]
    [InlineData("n_positions", 100_000_000)]
    [InlineData("n_head", 0)]
    [InlineData("n_layer", 100_000)]
    [InlineData("vocab_size", 2_000_000_000)]
    public async Task Generate_LlmConfigWithHugeOrZeroSizes_Exits2BeforeAllocating(string key, int value)
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir, family: "llm");
        string manifest = Path.Combine(model, "generator.json");
        var root = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        root["state"]!["gpt2_config"]![key] = value;
        File.WriteAllText(manifest, root.ToJsonString());
        var (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--output", dir.File("o.csv"));
        Assert.Equal(2, code);
        Assert.Contains(key, error, StringComparison.Ordinal);
        // Refused before allocating: libtorch's tensors are native memory, so the process's working set is what would show them.
        Assert.True(Environment.WorkingSet < 4L << 30, "the process grew past 4 GB");
    }

    [Fact]
    public async Task Generate_CudaTrainedModel_LoadsOnThisDevice_AndTakesDevice()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        string manifest = Path.Combine(model, "generator.json");
        var root = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        root["options"]!["device"] = "cuda:0";
        File.WriteAllText(manifest, root.ToJsonString());
        var (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--output", dir.File("a.csv"));
        Assert.True(code == 0, error);
        (code, _, error) = await Run("generate", "--model", model, "--count", "5", "--device", "cpu", "--output", dir.File("b.csv"));
        Assert.True(code == 0, error);
    }

    [Fact]
    public async Task Generate_HugeCount_IsRefused()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        var (code, _, error) = await Run("generate", "--model", model, "--count", "2147483647", "--output", dir.File("o.csv"));
        Assert.Equal(1, code);
        Assert.Contains("--count", error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("o.csv")));
    }

    // ---- Hostile data files --------------------------------------------------------------------------------------

    public static TheoryData<string, string> BadNpy => new()
    {
        { "truncated_prefix", "too short" },
        { "truncated_header", "header" },
        { "v1_length_past_end", "header" },
        { "v2_length_overflows", "header" },
        { "fewer_rows_than_data", "rows" },
        { "negative_rows", "rows" },
    };

    [Theory]
    [MemberData(nameof(BadNpy))]
    public async Task Evaluate_BadNpy_Exits2NamingTheFile(string kind, string expected)
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        string npy = dir.File("bad.npy");
        File.WriteAllBytes(npy, NpyBytes(kind));
        File.WriteAllText(dir.File("bad.codes.txt"), "401\n428\n");
        var (code, _, error) = await Run("evaluate", "--real", data, "--synthetic", npy);
        Assert.Equal(2, code);
        Assert.Contains("bad.npy", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_ZipBomb_Exits2Quickly()
    {
        using var dir = new TempDirectory();
        string zip = dir.File("bomb.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var entry = archive.CreateEntry("diabetic_data.csv", CompressionLevel.SmallestSize).Open();
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)'A');
            for (int i = 0; i < 300; i++)
            {
                entry.Write(block);
            }
        }

        Assert.True(new FileInfo(zip).Length < 2 << 20);
        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--data", zip, "--output", dir.File("m"));
        Assert.Equal(2, code);
        Assert.Contains("bomb.zip", error, StringComparison.Ordinal);
        Assert.True(Environment.WorkingSet < 2L << 30, "the process grew past 2 GB");
    }

    [Fact]
    public async Task Evaluate_TooManyCodePairs_Exits2NamingTheLimit_BeforeAllocating()
    {
        // One record of 20,000 codes has 199,990,000 distinct code pairs: 3.2 GB of pair statistics, past the 2 GiB limit.
        // (Before the limit, ten records of 10,000 codes each were killed by the kernel at 22.8 GB.)
        using var dir = new TempDirectory();
        var text = new StringBuilder("patient_id,code\n");
        for (int c = 0; c < 20_000; c++)
        {
            text.Append("p0,C").Append(c).Append('\n');
        }

        for (int p = 1; p < 12; p++)
        {
            text.Append('p').Append(p).Append(",C").Append(p).Append('\n');
        }

        string big = dir.Write("big.csv", text.ToString());
        var (code, _, error) = await Run("evaluate", "--real", big, "--synthetic", big);
        Assert.Equal(2, code);
        Assert.Contains("20,000 codes", error, StringComparison.Ordinal);
        Assert.Contains("199,990,000 pairs", error, StringComparison.Ordinal);
        Assert.Contains("2.1 GB limit", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    // ---- Silently wrong results ----------------------------------------------------------------------------------

    [Fact]
    public async Task Evaluate_SyntheticCodesOutsideTheRealVocabulary_AreReported_AndMostlyUnknownIsRefused()
    {
        using var dir = new TempDirectory();
        string real = SmallData(dir);
        string someUnknown = dir.Write("some.csv", "patient_id,code\na,401\na,999\nb,428\nc,250\nd,272\n");
        var (code, output, error) = await Run("evaluate", "--real", real, "--synthetic", someUnknown, "--metrics", "Record length", "--json");
        Assert.True(code == 0, error);
        Assert.Contains("999", error, StringComparison.Ordinal);
        Assert.Contains("unknownCodes", output, StringComparison.Ordinal);

        string allUnknown = dir.Write("all.csv", "patient_id,code\na,X1\nb,X2\nc,X3\n");
        (code, _, error) = await Run("evaluate", "--real", real, "--synthetic", allUnknown);
        Assert.Equal(2, code);
        Assert.Contains("X1", error, StringComparison.Ordinal);
        Assert.Contains("--allow-unknown-codes", error, StringComparison.Ordinal);

        (code, _, error) = await Run("evaluate", "--real", real, "--synthetic", allUnknown, "--allow-unknown-codes", "--metrics", "Record length");
        Assert.True(code == 0, error);
    }

    // ---- Partial output, interruption and resume -----------------------------------------------------------------

    [Fact]
    public async Task Compare_Cancelled_LeavesNoReportFolder()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        using var cts = new CancellationTokenSource();
        var (code, _, _) = await RunWatching(
            line =>
            {
                if (line.Contains("VAE", StringComparison.Ordinal) && line.Contains("epoch", StringComparison.Ordinal))
                {
                    cts.Cancel();
                }
            },
            cts.Token,
            "compare", "--families", "vae,medgan", "--epochs", "1", "--data", data, "--output", dir.File("report"));
        Assert.Equal(130, code);
        Assert.False(Directory.Exists(dir.File("report")));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path), e => Path.GetFileName(e).Contains("ehrsynth-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Train_WithCheckpoints_ResumesAfterAnInterruption()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir, patients: 200);
        using var cts = new CancellationTokenSource();
        string[] args = ["train", "--family", "vae", "--epochs", "3", "--data", data, "--output", dir.File("m"), "--checkpoints", dir.File("ckpt")];
        var (code, _, _) = await RunWatching(
            line =>
            {
                if (line.Contains("epoch 1/3", StringComparison.Ordinal))
                {
                    cts.Cancel();
                }
            },
            cts.Token,
            args);
        Assert.Equal(130, code);
        Assert.True(File.Exists(Path.Combine(dir.File("ckpt"), "generator.json")));

        var (resumedCode, _, error) = await Run(args);
        Assert.True(resumedCode == 0, error);
        Assert.Contains("resum", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("epoch 1/3", error, StringComparison.Ordinal);

        var (wholeCode, _, wholeError) = await Run("train", "--family", "vae", "--epochs", "3", "--data", data, "--output", dir.File("whole"));
        Assert.True(wholeCode == 0, wholeError);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("whole"), "model.safetensors")), File.ReadAllBytes(Path.Combine(dir.File("m"), "model.safetensors")));
    }

    [Fact]
    public async Task Cancelled_Exits130()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        var (code, _, error) = await Run(new CancellationToken(true), "train", "--family", "vae", "--epochs", "1", "--data", data, "--output", dir.File("m"));
        Assert.Equal(130, code);
        Assert.Contains("cancel", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MissingCudaDevice_Exits5()
    {
        if (EhrSynth.Generators.Torch.TorchDevices.IsCudaAvailable)
        {
            return;   // the machine has the device; nothing to refuse
        }

        using var dir = new TempDirectory();
        string data = SmallData(dir);
        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--data", data, "--device", "cuda", "--output", dir.File("m"));
        Assert.Equal(5, code);
        Assert.Contains("CUDA", error, StringComparison.Ordinal);
    }

    // ---- Smaller ----------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("notzip.zip", "this is not a zip", "notzip.zip")]
    [InlineData("notgzip.csv.gz", "patient_id,code\n", "notgzip.csv.gz")]
    [InlineData("empty.csv", "patient_id,code\n", "empty.csv")]
    public async Task BadDataFiles_NameTheFile_AndExit2(string name, string content, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.Write(name, content);
        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--data", path, "--output", dir.File("m"));
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyPatient_SuggestsAnOptionTheCliHas()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("gap.csv", "patient_id,code\na,401\nb,\nc,428\n");
        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--data", path, "--output", dir.File("m"));
        Assert.Equal(2, code);
        Assert.Contains("--empty-patients", error, StringComparison.Ordinal);
        (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--data", path, "--empty-patients", "skip", "--output", dir.File("m"));
        Assert.True(code == 0, error);
    }

    [Fact]
    public async Task Probabilities_SuggestAThresholdTheCliHas()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        string npy = dir.File("p.npy");
        File.WriteAllBytes(npy, NpyFloat32([[0.2f, 0.9f], [0.7f, 0.1f]]));
        File.WriteAllText(dir.File("p.codes.txt"), "401\n428\n");
        var (code, _, error) = await Run("evaluate", "--real", data, "--synthetic", npy, "--metrics", "Record length");
        Assert.Equal(2, code);
        Assert.Contains("--threshold", error, StringComparison.Ordinal);
        (code, _, error) = await Run("evaluate", "--real", data, "--synthetic", npy, "--threshold", "0.5", "--metrics", "Record length");
        Assert.True(code == 0, error);
    }

    [Fact]
    public async Task ControlCharacters_InCodesAreRefused_AndNeverEchoedRaw()
    {
        using var dir = new TempDirectory();
        string nul = dir.Write("nul.csv", "patient_id,code\na,40\u00001\n");
        var (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--data", nul, "--output", dir.File("m"));
        Assert.Equal(2, code);
        Assert.DoesNotContain('\0', error);

        string escape = dir.Write("esc.csv", "patient_id,code\na,\u001b[31mRED\n");
        (code, _, error) = await Run("train", "--family", "vae", "--epochs", "1", "--data", escape, "--output", dir.File("m"));
        Assert.Equal(2, code);
        Assert.DoesNotContain('\u001b', error);
    }

    [Fact]
    public async Task SyntheticArgument_ThatIsAFolder_IsRefused()
    {
        using var dir = new TempDirectory();
        string data = SmallData(dir);
        Directory.CreateDirectory(dir.File("folder"));
        var (code, _, error) = await Run("evaluate", "--real", data, "--synthetic", dir.File("folder"));
        Assert.Equal(2, code);
        Assert.Contains("folder", error, StringComparison.Ordinal);
        Assert.Contains("file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TitlesFromAModelFolder_CannotInjectSpreadsheetFormulas()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        string manifest = Path.Combine(model, "generator.json");
        var root = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        var codes = root["codes"]!.AsArray();
        root["titles"] = new JsonArray(codes.Select(_ => (JsonNode?)JsonValue.Create("=HYPERLINK(\"http://x\",\"y\")")).ToArray());
        File.WriteAllText(manifest, root.ToJsonString());
        var (code, _, error) = await Run("generate", "--model", model, "--count", "20", "--output", dir.File("o.csv"));
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(dir.File("o.csv")).Skip(1).Where(l => l.Split(',').Length > 2).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.DoesNotContain(",=", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain(",\"=", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnexpectedErrors_AreOneLineWithoutStackTrace_UnlessVerbose()
    {
        var failure = new NullReferenceException("boom");
        var (code, message) = EhrSynthCli.Describe(failure, verbose: false);
        Assert.Equal(70, code);
        Assert.DoesNotContain('\n', message.TrimEnd());
        Assert.Contains("boom", message, StringComparison.Ordinal);
        Assert.Contains("--verbose", message, StringComparison.Ordinal);
        (_, message) = EhrSynthCli.Describe(failure, verbose: true);
        Assert.Contains("NullReferenceException", message, StringComparison.Ordinal);

        // A null argument is a bug in the caller (the command line never passes null), not the user's usage error.
        (code, message) = EhrSynthCli.Describe(new ArgumentNullException("options"), verbose: false);
        Assert.Equal(ExitCodes.InternalError, code);
        Assert.StartsWith("internal error: ArgumentNullException", message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadUsage, EhrSynthCli.Describe(new ArgumentException("--seeds: not a number"), verbose: false).Code);
        await Task.CompletedTask;
    }

    // ---- Helpers -----------------------------------------------------------------------------------------------

    private static (JsonObject Parent, string Key) Navigate(JsonObject root, string path)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = node[part]!.AsObject();
        }

        return (node, parts[^1]);
    }

    private static void Corrupt(string path, string corruption)
    {
        var bytes = File.ReadAllBytes(path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength))!.AsObject();
        var data = bytes[(8 + (int)headerLength)..];
        var first = header.First(kv => kv.Key != "__metadata__");
        var second = header.Where(kv => kv.Key != "__metadata__").Skip(1).First();
        switch (corruption)
        {
            case "truncated":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                return;
            case "header-length-1GB":
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 30);
                File.WriteAllBytes(path, bytes);
                return;
            case "header-not-json":
                bytes[8] = (byte)'#';
                File.WriteAllBytes(path, bytes);
                return;
            case "offsets-past-end":
                first.Value!["data_offsets"] = new JsonArray(0, data.Length + 1_000_000);
                break;
            case "offsets-overlap":
                second.Value!["data_offsets"] = first.Value!["data_offsets"]!.DeepClone();
                break;
            case "shape-lies":
                first.Value!["shape"] = new JsonArray(100_000, 100_000);
                break;
            case "dtype-unknown":
                first.Value!["dtype"] = "Q99";
                break;
            case "shape-negative":
                first.Value!["shape"] = new JsonArray(-4, 8);
                break;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var output = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)json.Length);
        json.CopyTo(output, 8);
        data.CopyTo(output, 8 + json.Length);
        File.WriteAllBytes(path, output);
    }

    private static byte[] NpyBytes(string kind)
    {
        byte[] magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
        string dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }";
        using var ms = new MemoryStream();
        switch (kind)
        {
            case "truncated_prefix":
                ms.Write(magic[..4]);
                break;
            case "truncated_header":
                ms.Write(magic);
                ms.Write([1, 0, 100, 0]);
                ms.Write(Encoding.ASCII.GetBytes(dict[..20]));
                break;
            case "v1_length_past_end":
                ms.Write(magic);
                ms.Write([1, 0, 0xFF, 0xFF]);
                ms.Write(Encoding.ASCII.GetBytes(dict));
                break;
            case "v2_length_overflows":
                ms.Write(magic);
                ms.Write([2, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
                ms.Write(Encoding.ASCII.GetBytes(dict));
                break;
            case "fewer_rows_than_data":
            case "negative_rows":
                string shape = kind == "negative_rows" ? "(-1, 2)" : "(1, 2)";
                string text = dict.Replace("(2, 2)", shape, StringComparison.Ordinal);
                text = text.PadRight(64 - 10 - 1) + "\n";
                ms.Write(magic);
                ms.Write([1, 0]);
                ms.Write(BitConverter.GetBytes((ushort)text.Length));
                ms.Write(Encoding.ASCII.GetBytes(text));
                ms.Write([1, 0, 0, 1]);
                break;
        }

        return ms.ToArray();
    }

    private static byte[] NpyFloat32(float[][] rows)
    {
        string text = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows.Length}, {rows[0].Length}), }}";
        text = text.PadRight(64 - 10 - 1) + "\n";
        using var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        ms.Write(BitConverter.GetBytes((ushort)text.Length));
        ms.Write(Encoding.ASCII.GetBytes(text));
        foreach (var row in rows)
        {
            foreach (var v in row)
            {
                ms.Write(BitConverter.GetBytes(v));
            }
        }

        return ms.ToArray();
    }

    private static string Escape(string s) => JsonSerializer.Serialize(s);
}
