using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;
using static EhrSynth.Generators.Cli.Tests.CliHarness;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary>
/// Data where users keep it (issue #29), through the command line: <c>convert</c> on every hand-written source, the
/// comparison on MIMIC-IV, the LLM on records longer than its positions, Parquet out.
/// </summary>
public class DataSourceCliTests
{
    [Fact]
    public async Task Convert_MimicIV_WritesTheHandCountedSets_AndSaysWhatItRead()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = await Run("convert", "--data", Fixtures.Source("mimic-iv"), "--output", dir.File("mimic-iv.csv"));

        Assert.True(code == 0, error);
        Assert.Contains("Read MIMIC-IV", output, StringComparison.Ordinal);
        Assert.Contains("codes: ICD-9-CM and ICD-10-CM, marked 9: and 10:", output, StringComparison.Ordinal);
        Assert.Contains("rows read: 99", output, StringComparison.Ordinal);
        Assert.Contains("patients: 4 × codes: 85, 85 (patient, code) pairs", output, StringComparison.Ordinal);
        Assert.Contains("skipped 1: hadm_id not in admissions", output, StringComparison.Ordinal);
        Assert.Contains("skipped 1: patient with no diagnosis kept", output, StringComparison.Ordinal);
        var sets = Sets(dir.File("mimic-iv.csv"));
        Assert.Equal(["9:070", "9:287", "9:571", "9:572", "9:789", "9:V30"], sets["10000032"]);
        Assert.Equal(["10:E11", "10:I10", "10:N17"], sets["10000068"]);
        Assert.Equal(["10:E78", "10:F02", "10:G31", "10:R44", "10:V30"], sets["10000084"]);
        Assert.Equal(71, sets["10000117"].Count);
        Assert.False(sets.ContainsKey("10000108"));

        // Titles follow each code's version: ICD-9 V30 is a liveborn infant, ICD-10 V30 a motor-vehicle accident.
        string csv = File.ReadAllText(dir.File("mimic-iv.csv"));
        Assert.Contains("10000068,10:E11,Type 2 diabetes mellitus", csv, StringComparison.Ordinal);
        Assert.Contains("10000032,9:V30,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("10000032,9:V30,Occupant", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("omop", new string[0], "1:201826,320128,4329847|3:201826,320128,4329847")]
    [InlineData("omop", new[] { "--omop-codes", "source" }, "1:10:E11,10:I10,10:Z99|3:9:250,9:401,9:410")]
    [InlineData("omop-era", new string[0], "1:201826,320128|3:201826,320128")]
    [InlineData("omop/CONDITION_OCCURRENCE.csv", new[] { "--omop-codes", "source", "--omop-source-vocabulary", "icd10", "--icd-versions", "10" }, "1:E11,I10,Z99|2:R69")]
    [InlineData("mimic-iv-parquet", new[] { "--icd-versions", "10" }, "10000068:E11,I10,N17|10000084:E78,F02,G31,R44,V30")]
    public async Task Convert_EverySource_ToParquet_ReadsBackTheHandCountedSets(string source, string[] flags, string expected)
    {
        using var dir = new TempDirectory();
        var (code, output, error) = await Run(["convert", "--data", Fixtures.Source(source), "--output", dir.File("out.parquet"), .. flags]);
        Assert.True(code == 0, error);
        Assert.Contains("Wrote", output, StringComparison.Ordinal);

        var read = LongParquet.Read(dir.File("out.parquet")).Dataset;
        var sets = Enumerable.Range(0, read.PatientCount).ToDictionary(read.GetPatientId, p => read.GetRecord(p).Codes.Order(StringComparer.Ordinal).ToList());
        foreach (var patient in expected.Split('|'))
        {
            int colon = patient.IndexOf(':', StringComparison.Ordinal);
            Assert.Equal(patient[(colon + 1)..].Split(','), sets[patient[..colon]]);
        }

        if (source == "mimic-iv-parquet")
        {
            Assert.Contains("10000117", sets.Keys);                       // the long patient: 70 ICD-10 categories
            Assert.Equal(70, sets["10000117"].Count);
        }
        else
        {
            Assert.Equal(expected.Split('|').Length, sets.Count);
        }
    }

    [Fact]
    public async Task Convert_ForeignParquet_ToCsvAndNpy_KeepsEveryPatient()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = await Run("convert", "--data", Fixtures.Source("parquet/long-duckdb.parquet"), "--output", dir.File("long.npy"), "--empty-patients", "keep", "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1251, json.RootElement.GetProperty("patients").GetInt32());
        Assert.Equal(5001, json.RootElement.GetProperty("rowsRead").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("emptyPatientsKept").GetInt32());
        var npy = Npy.Read(dir.File("long.npy"), dir.File("long.codes.txt"), new NpyReadOptions { EmptyPatients = EmptyPatientPolicy.Keep }).Dataset;
        Assert.Equal(1251, npy.PatientCount);
        Assert.Equal(5000, npy.StoredCodeCount);
    }

    [Fact]
    public async Task Convert_BadFlagsAndABadTarget_AreListedBeforeReading()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await Run("convert", "--data", Fixtures.Source("omop"), "--output", dir.File("x.csv"), "--icd-versions", "11", "--omop-table", "era", "--omop-codes", "source");
        Assert.Equal(1, code);
        Assert.Contains("--icd-versions must be both, 9, 10 (got '11')", error, StringComparison.Ordinal);
        Assert.Contains("--omop-codes source needs condition_occurrence", error, StringComparison.Ordinal);

        (code, _, error) = await Run("convert", "--data", Fixtures.Source("omop"), "--output", dir.File("x.txt"));
        Assert.Equal(1, code);
        Assert.Contains("--output must end in .csv, .parquet or .npy", error, StringComparison.Ordinal);

        string existing = dir.Write("taken.csv", "mine");
        (code, _, error) = await Run("convert", "--data", Fixtures.Source("omop"), "--output", existing);
        Assert.Equal(4, code);
        Assert.Equal("mine", File.ReadAllText(existing));

        Directory.CreateDirectory(dir.File("nothing"));
        (code, _, error) = await Run("convert", "--data", dir.File("nothing"), "--output", dir.File("y.csv"));
        Assert.Equal(2, code);
        Assert.Contains("holds no source EhrSynth reads", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_OnMimicIV_RunsEveryFamily_AndTheLlmGrowsItsPositionsForTheLongPatient()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = await Run("compare", "--data", Fixtures.Source("mimic-iv"), "--families", "vae,medgan,corgan,ehrdiff,ddpm,llm",
            "--budget", "long", "--epochs", "1", "--output", dir.File("r"));

        Assert.True(code == 0, error);
        foreach (var family in new[] { "VAE", "medGAN", "CorGAN", "EHRDiff", "DDPM", "LLM" })
        {
            Assert.Contains($"\n{family} ", output, StringComparison.Ordinal);
        }

        string report = File.ReadAllText(dir.File("r/report.md"));
        Assert.Contains("LLM: GPT-2 'tiny' with the code-level tokenizer, from scratch, 1 epoch(s), T = 1, constrained decoding;", report, StringComparison.Ordinal);
        Assert.DoesNotContain("sentence \"Diagnostic Code(s) {codes}\"", report, StringComparison.Ordinal);                // the long preset keeps the paper's sentence
        // By hand: the paper's sentence with the code-level tokenizer is 5 words + 1 id digit (3 training patients) + 71
        // codes + 70 separators + the end = 148 tokens; 148 + 148 / 4 = 185, rounded up to 64 → 192.
        Assert.Contains("LLM, seed 1: n_positions 192: the 'tiny' preset's 128 grown to fit the longest training sentence (148 tokens, patient '10000117')", report, StringComparison.Ordinal);
        Assert.Contains("n_positions 192", File.ReadAllText(dir.File("r/results.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_PretrainedWithTooFewPositions_RefusesBeforeTraining_OrDropsOrTruncatesAndSaysSo()
    {
        using var dir = new TempDirectory();
        string checkpoint = Checkpoint128(dir);
        string data = Fixtures.Source("mimic-iv");

        var (code, output, error) = await Run("train", "--family", "llm", "--pretrained", checkpoint, "--data", data, "--epochs", "1", "--output", dir.File("m0"));
        Assert.Equal(1, code);
        Assert.Contains("1 of 4 training patients need more than the model's 128 positions (the longest, patient '10000117', needs", error, StringComparison.Ordinal);
        Assert.Contains("--long-records drop|truncate", error, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("m0")));

        (code, output, error) = await Run("train", "--family", "llm", "--pretrained", checkpoint, "--data", data, "--epochs", "1", "--long-records", "drop", "--output", dir.File("m1"), "--json");
        Assert.True(code == 0, error);
        Assert.Contains("they were left out of training (LongRecords = Drop)", JsonDocument.Parse(output).RootElement.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(4, JsonDocument.Parse(output).RootElement.GetProperty("patients").GetInt32());

        (code, output, error) = await Run("train", "--family", "llm", "--pretrained", checkpoint, "--data", data, "--epochs", "1", "--long-records", "truncate", "--output", dir.File("m2"));
        Assert.True(code == 0, error);
        Assert.Contains("each kept a random subset of its codes that fits", output, StringComparison.Ordinal);
        (code, _, error) = await Run("generate", "--model", dir.File("m2"), "--count", "3", "--output", dir.File("m2.parquet"));
        Assert.True(code == 0, error);
        Assert.Equal(3, LongParquet.Read(dir.File("m2.parquet"), new LongCsvReadOptions { EmptyPatients = EmptyPatientPolicy.Keep }).Dataset.PatientCount);
    }

    [Fact]
    public async Task DifferentialPrivacy_TakesThePublicListOfTheDatasCoding()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await Run("train", "--family", "vae", "--data", Fixtures.Source("mimic-iv"), "--epochs", "1", "--dp-epsilon", "8", "--dp-batch", "2", "--output", dir.File("m"));
        Assert.True(code == 0, error);
        Assert.Contains("ICD-9 and ICD-10-CM categories of the CMS list (public)", error, StringComparison.Ordinal);
        var codes = JsonNode.Parse(File.ReadAllText(dir.File("m/generator.json")))!["codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(EhrSynth.Generators.Datasets.EhrDatasets.Icd9Titles().Categories().Count + EhrSynth.Generators.Datasets.EhrDatasets.Icd10Titles().Categories().Count, codes.Count);
        Assert.Equal(1_910, EhrSynth.Generators.Datasets.EhrDatasets.Icd10Titles().Categories().Count);
        Assert.Contains("10:E11", codes);
        Assert.Contains("9:401", codes);

        (code, _, error) = await Run("train", "--family", "vae", "--data", Fixtures.Source("omop"), "--epochs", "1", "--dp-epsilon", "8", "--dp-batch", "2", "--output", dir.File("m2"));
        Assert.Equal(1, code);
        Assert.Contains("OMOP concept ids", error, StringComparison.Ordinal);
    }

    /// <summary>The Llm tests' tiny GPT-2 checkpoint with its position embedding cut to 128 rows (a checkpoint too short for the long patient).</summary>
    private static string Checkpoint128(TempDirectory dir)
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-gpt2");
        string target = dir.File("tiny-gpt2-128");
        Directory.CreateDirectory(target);
        foreach (var name in new[] { "vocab.json", "merges.txt" })
        {
            File.Copy(Path.Combine(source, name), Path.Combine(target, name));
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")))!.AsObject();
        config["n_positions"] = 128;
        config["n_ctx"] = 128;
        File.WriteAllText(Path.Combine(target, "config.json"), config.ToJsonString());

        // safetensors: 8-byte little-endian header length, a JSON header of dtypes, shapes and byte ranges, then the data.
        byte[] raw = File.ReadAllBytes(Path.Combine(source, "model.safetensors"));
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(raw);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(raw, 8, headerLength))!.AsObject();
        var data = raw.AsMemory(8 + headerLength);
        var tensors = header.Where(kv => kv.Key != "__metadata__").OrderBy(kv => kv.Value!["data_offsets"]![0]!.GetValue<long>()).ToList();
        var output = new MemoryStream();
        var newHeader = new JsonObject();
        foreach (var (name, node) in tensors)
        {
            long start = node!["data_offsets"]![0]!.GetValue<long>(), end = node["data_offsets"]![1]!.GetValue<long>();
            var shape = node["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            if (name == "transformer.wpe.weight")
            {
                (shape[0], end) = (128, start + (128 * shape[1] * 4));
            }

            newHeader[name] = new JsonObject { ["dtype"] = node["dtype"]!.GetValue<string>(), ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]), ["data_offsets"] = new JsonArray(output.Length, output.Length + (end - start)) };
            output.Write(data.Span[(int)start..(int)end]);
        }

        byte[] json = Encoding.UTF8.GetBytes(newHeader.ToJsonString());
        var file = new byte[8 + json.Length + output.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        output.ToArray().CopyTo(file, 8 + json.Length);
        File.WriteAllBytes(Path.Combine(target, "model.safetensors"), file);
        return target;
    }

    private static Dictionary<string, List<string>> Sets(string longCsv)
    {
        var data = LongCsv.Read(longCsv).Dataset;
        return Enumerable.Range(0, data.PatientCount).ToDictionary(data.GetPatientId, p => data.GetRecord(p).Codes.Order(StringComparer.Ordinal).ToList());
    }
}
