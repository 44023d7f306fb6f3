using System.Text.Json;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;
using static EhrSynth.Generators.Cli.Tests.CliHarness;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary><c>generate --shard i/n</c>: n shards write exactly the records one command writes, split across files.</summary>
public class ShardTests
{
    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public async Task FourShards_TogetherAreTheSingleRun_RecordForRecord(string format)
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        var (code, _, error) = await Run("generate", "--model", model, "--count", "230", "--part-size", "50", "--seed", "7", "--output", dir.File($"single.{format}"));
        Assert.True(code == 0, error);
        var shards = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            string file = dir.File($"shard-{i}.{format}");
            string printed;
            (code, printed, error) = await Run("generate", "--model", model, "--count", "230", "--part-size", "50", "--seed", "7", "--shard", $"{i}/4", "--output", file, "--json");
            Assert.True(code == 0, error);
            var shard = JsonDocument.Parse(printed).RootElement.GetProperty("shard");
            Assert.Equal(i, shard.GetProperty("index").GetInt32());
            shards.Add(file);
        }

        // 5 parts of 50 (the last 30) over 4 shards: parts [0], [1], [2], [3, 4].
        var single = Records(dir.File($"single.{format}"));
        var union = shards.SelectMany(Records).ToList();
        Assert.Equal(230, single.Count);
        Assert.Equal(single, union);
        Assert.Equal(80, Records(shards[3]).Count);

        // Evaluated part by part (a pattern, natural order), the shards give the single file's numbers.
        string real = SmallData(dir, "real.csv", patients: 90);
        string metrics = "Dimension-wise distribution,Covariance resampling,Co-occurrence,Record length";
        string output;
        (code, output, error) = await Run("evaluate", "--real", real, "--synthetic", dir.File($"single.{format}"), "--metrics", metrics, "--seed", "3", "--json");
        Assert.True(code == 0, error);
        var whole = Values(output);
        (code, output, error) = await Run("evaluate", "--real", real, "--synthetic", Path.Combine(dir.Path, $"shard-*.{format}"), "--metrics", metrics, "--seed", "3", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(whole, Values(output));
        Assert.Equal(4, JsonDocument.Parse(output).RootElement.GetProperty("synthetic").GetArrayLength());
    }

    [Fact]
    public async Task SeveralParts_WithTrainOrAMetricThatNeedsRecords_IsBadUsage()
    {
        using var dir = new TempDirectory();
        string a = SmallData(dir, "a.csv"), b = SmallData(dir, "b.csv");
        var (code, _, error) = await Run("evaluate", "--real", a, "--synthetic", $"{a},{b}", "--train", a);
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("only the fidelity metrics are computed", error, StringComparison.Ordinal);
        (code, _, error) = await Run("evaluate", "--real", a, "--synthetic", $"{a},{b}", "--metrics", "Exact copies");
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("are not computed part by part", error, StringComparison.Ordinal);
        (code, _, error) = await Run("evaluate", "--real", a, "--synthetic", Path.Combine(dir.Path, "none-*.csv"));
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Contains("names no data file", error, StringComparison.Ordinal);
    }

    private static Dictionary<string, double?> Values(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("values").EnumerateArray()
            .ToDictionary(v => $"{v.GetProperty("metric").GetString()}/{v.GetProperty("key").GetString()}", v => v.GetProperty("value").ValueKind == JsonValueKind.Null ? null : (double?)v.GetProperty("value").GetDouble());

    [Fact]
    public async Task AShardSpecOutOfRange_IsBadUsage()
    {
        using var dir = new TempDirectory();
        string model = await TrainedModel(dir);
        foreach (var spec in new[] { "4/4", "1", "-1/3", "a/b" })
        {
            var (code, _, error) = await Run("generate", "--model", model, "--count", "10", "--shard", spec, "--output", dir.File("o.csv"));
            Assert.Equal(ExitCodes.BadUsage, code);
            Assert.Contains("--shard takes i/n with 0 ≤ i < n", error, StringComparison.Ordinal);
        }
    }

    /// <summary>Each patient as "id: codes", in file order.</summary>
    private static List<string> Records(string path)
    {
        var keep = new LongCsvReadOptions { EmptyPatients = EmptyPatientPolicy.Keep };              // a generated record may be empty
        var data = path.EndsWith(".parquet", StringComparison.Ordinal) ? LongParquet.Read(path, keep).Dataset : LongCsv.Read(path, keep).Dataset;
        return [.. Enumerable.Range(0, data.PatientCount).Select(p => $"{data.GetPatientId(p)}: {string.Join(",", data.GetCodes(p).ToArray().Select(c => data.Vocabulary[c]).Order(StringComparer.Ordinal))}")];
    }
}
