using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Llm.Sampling;
using EhrSynth.Generators.Llm.Text;
using EhrSynth.Generators.Testing;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Tests;

public class GenerationTests
{
    private static async Task<LlmGenerator> Untrained(LlmTokenizer tokenizer, bool constrained = true)
    {
        // A 50,257-token vocabulary makes every training step costly on a CPU: train on a few patients only.
        var all = EhrDatasets.MimicIIIDemo();
        var data = tokenizer == LlmTokenizer.Gpt2Bpe ? all.Subset([.. Enumerable.Range(0, 8)]).WithVocabulary(all.Vocabulary) : all;
        var options = new LlmOptions
        {
            Seed = 1,
            Tokenizer = tokenizer,
            Model = new Gpt2Config { Layers = 1, Embedding = 16, Heads = 2, Positions = 256, VocabSize = tokenizer == LlmTokenizer.Gpt2Bpe ? 50_257 : 1 },
            Epochs = 1,
            BatchSize = 8,
            LearningRate = 1e-9,          // effectively the random initial weights
            Temperature = 1.5,
            TopK = 0,
            MaxNewTokens = 120,
            Constrained = constrained,
            MaxResampleRounds = 2,
            Threads = 1,
        };
        var g = new LlmGenerator(options);
        await g.FitAsync(data);
        return g;
    }

    [Theory]
    [InlineData(LlmTokenizer.Code)]
    [InlineData(LlmTokenizer.Gpt2Bpe)]
    public async Task Constrained_RandomWeights_EveryRecordIsValid(LlmTokenizer tokenizer)
    {
        using var g = await Untrained(tokenizer);
        var synthetic = g.Generate(80, seed: 3);
        Assert.Equal(80, synthetic.PatientCount);
        Assert.Equal(0, synthetic.EmptyPatientCount());
        var report = g.LastGenerationReport!;
        Assert.Equal((0, 0, 0, 0), (report.InvalidRecords, report.UnknownCodes, report.DuplicateCodesRemoved, report.TruncatedRecords));

        // The sampled token streams themselves parse into valid records (not only the tracked codes).
        using var rng = new Generator(5, CPU);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var codec = g.Codec;
        var prompt = g.Tokenizer.Prompt(codec.Prompt("7"));
        var vocabulary = g.Vocabulary!;
        var decoder = new ConstrainedDecoder(new CodeTrie([.. vocabulary.Select(g.Tokenizer.Code)]), g.Tokenizer.SeparatorToken, g.Tokenizer.EosToken, 32, vocabulary.Count);
        var (tokens, ended) = g.GenerateTokens([.. Enumerable.Repeat(prompt, 32)], rng, decoder, useCache: true, temperature: 1.5, CancellationToken.None);
        for (int s = 0; s < 32; s++)
        {
            Assert.True(ended[s], "a constrained sequence must end within the budget");
            var record = codec.Decode(g.Tokenizer.Decode(prompt.Concat(tokens[s])), ended[s]);
            Assert.Equal(RecordIssues.None, record.Issues);
            Assert.Equal(decoder.Codes(s).Select(c => vocabulary[c]), record.Codes);
        }
    }

    [Fact]
    public async Task Constrained_TinyBudget_StillEndsValid()
    {
        using var g = await Untrained(LlmTokenizer.Code);
        using var rng = new Generator(2, CPU);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var prompt = g.Tokenizer.Prompt(g.Codec.Prompt("1"));
        var vocabulary = g.Vocabulary!;
        var trie = new CodeTrie([.. vocabulary.Select(g.Tokenizer.Code)]);
        var decoder = new ConstrainedDecoder(trie, g.Tokenizer.SeparatorToken, g.Tokenizer.EosToken, 16, vocabulary.Count);
        var options = g.Options;
        var (tokens, ended) = g.GenerateTokens([.. Enumerable.Repeat(prompt, 16)], rng, decoder, useCache: true, temperature: 2.0, CancellationToken.None);
        Assert.All(Enumerable.Range(0, 16), s => Assert.True(ended[s] && decoder.Codes(s).Count > 0 && tokens[s].Count <= options.MaxNewTokens));
    }

    [Fact]
    public async Task KvCache_GreedyEqualsRecompute()
    {
        using var g = await Untrained(LlmTokenizer.Code, constrained: false);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var prompt = g.Tokenizer.Prompt(g.Codec.Prompt("42"));
        int[][] prompts = [prompt, prompt, prompt];
        using var rngA = new Generator(1, CPU);
        using var rngB = new Generator(1, CPU);
        var (cached, _) = g.GenerateTokens(prompts, rngA, null, useCache: true, temperature: 0, CancellationToken.None);
        var (recomputed, _) = g.GenerateTokens(prompts, rngB, null, useCache: false, temperature: 0, CancellationToken.None);
        Assert.True(cached[0].Count > 10);
        Assert.Equal(recomputed[0], cached[0]);
        Assert.Equal(recomputed[2], cached[2]);
    }

    [Fact]
    public async Task Unconstrained_ReportsItsInvalidRate()
    {
        using var g = await Untrained(LlmTokenizer.Code, constrained: false);
        var synthetic = g.Generate(60, seed: 1);
        var report = g.LastGenerationReport!;
        Assert.Equal(60, synthetic.PatientCount);
        Assert.True(report.InvalidRecords + report.UnknownCodes + report.DuplicateCodesRemoved + report.TruncatedRecords > 0, "random weights must produce some invalid output");
    }

    [Fact]
    public async Task Cohort_EveryRecordHasTheRequiredCodes()
    {
        var data = Fixtures.Structured(patients: 200, codes: 20, seed: 2);
        using var g = new LlmGenerator(LlmContractTests.TinyOptions(seed: 1, epochs: 3));
        await g.FitAsync(data);
        var cohort = g.GenerateCohort(["C004", "C009"], 40, seed: 2);
        Assert.All(cohort.Records, r => Assert.True(r.Codes.Contains("C004") && r.Codes.Contains("C009"), string.Join(",", r.Codes)));
        Assert.Contains("C042", Assert.Throws<ArgumentException>(() => g.GenerateCohort(["C042"], 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainedTinyLlm_ReproducesCodePrevalence()
    {
        var data = Fixtures.Structured(patients: 600, codes: 20, seed: 3);
        using var g = new LlmGenerator(LlmContractTests.TinyOptions(seed: 1, epochs: 30));
        await g.FitAsync(data);
        var synthetic = g.Generate(1500, seed: 2);
        var pr = data.CodePrevalence();
        var ps = synthetic.CodePrevalence();
        double mx = pr.Average(), my = ps.Average();
        double r = pr.Zip(ps).Sum(p => (p.First - mx) * (p.Second - my)) / Math.Sqrt(pr.Sum(p => (p - mx) * (p - mx)) * ps.Sum(p => (p - my) * (p - my)));
        Assert.True(r > 0.9, $"prevalence Pearson {r:F3}");
    }
}
