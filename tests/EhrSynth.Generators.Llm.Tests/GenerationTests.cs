using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Llm.Sampling;
using EhrSynth.Generators.Llm.Text;
using EhrSynth.Generators.Testing;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Tests;

public class GenerationTests
{
    private const int PinnedSeedStep1 = 1_863_827_959;
    private const int PinnedSeedStep2 = 1_135_695_919;

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
    public void Decoder_AfterACohortPrompt_EndsOrContinues_NeverEmitsAnExcludedCode_AndKnowsTheUnbannedCandidates()
    {
        // Codes 0 = [10], 1 = [11], 2 = [12, 13]; separator 1, end 2. The prompt lists code 0; code 1 is banned.
        var decoder = new ConstrainedDecoder(new CodeTrie([[10], [11], [12, 13]]), 1, 2, 2, 3);
        decoder.Start(0, [0], [1]);
        decoder.Start(1, [0], [1]);
        Assert.True(decoder.HasExclusions);
        var allowed = new List<int>();
        decoder.Allowed(0, 10, allowed);
        Assert.Equal([2, 1], allowed);                                          // end right after the prompt, or a separator
        decoder.AllowedWithoutExclusions(0, 10, allowed);
        Assert.Equal([2, 1], allowed);
        decoder.Allowed(0, 2, allowed);
        Assert.Equal([2], allowed);                                             // no room for a separator, a code and the end

        decoder.Advance(0, 1);                                                  // separator: the next code
        decoder.Allowed(0, 10, allowed);
        Assert.Equal([12], allowed);                                            // 10 is in the prompt, 11 is banned
        decoder.AllowedWithoutExclusions(0, 10, allowed);
        Assert.Equal([11, 12], allowed);                                        // what ordinary decoding could pick
        decoder.Advance(0, 12);
        decoder.Advance(0, 13);
        decoder.Allowed(0, 10, allowed);
        Assert.Equal([2], allowed);                                             // every code is used or banned: end
        decoder.Advance(0, 2);
        Assert.True(decoder.Finished[0]);
        Assert.Equal([2], decoder.Codes(0));

        decoder.Advance(1, 2);                                                  // the prompt's code alone
        Assert.True(decoder.Finished[1]);
        Assert.Empty(decoder.Codes(1));
    }

    [Fact]
    public async Task Cohort_WithAnExcludedCode_FollowsTheModelsOwnRecordsWithoutIt_NotTheMaskedDecoder()
    {
        // C012 and C013 occur together (block 3). Among the model's own records without C013, C012 is rare; a decoder
        // that merely masks C013 keeps writing C012 as often as ever. The ban's importance weights correct it.
        var data = Fixtures.Structured(patients: 1_200, codes: 16, seed: 11);
        using var g = await TrainedOnBlocks(data);
        double Rate(EhrSynth.Generators.Data.EhrDataset d, string code) => d.Records.Count(r => r.Codes.Contains(code)) / (double)d.PatientCount;
        var everyone = g.Generate(4_000, seed: 2);
        int c13 = everyone.Vocabulary.IndexOf("C013");
        var withoutC013 = everyone.Subset([.. Enumerable.Range(0, everyone.PatientCount).Where(p => !everyone.HasCode(p, c13))]);
        var cohort = g.GenerateCohort(CohortCondition.Parse(null, "C013"), 1_500, seed: 3);
        Assert.All(cohort.Records, r => Assert.DoesNotContain("C013", r.Codes));
        double exact = Rate(withoutC013, "C012"), weighted = Rate(cohort, "C012"), overall = Rate(everyone, "C012");
        Assert.True(overall > exact + 0.05, $"P(C012) {overall:F3}, P(C012 | no C013) {exact:F3}");
        Assert.InRange(weighted, exact - 0.03, exact + 0.03);
        var report = g.LastGenerationReport!.Cohort!;
        Assert.Equal((CohortMethod.Prompt, 6_000L), (report.Method, report.Drawn));
        Assert.True(report.EffectiveDraws > 1_500, $"effective draws {report.EffectiveDraws}");
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
    public async Task Compaction_GreedyBatchEqualsEachSequenceAlone()
    {
        // Different prompts end at different steps, so the batch is compacted along the way; greedy decoding of each
        // sequence must not depend on its batch-mates.
        using var g = await Untrained(LlmTokenizer.Code, constrained: false);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int[][] prompts = [.. Enumerable.Range(11, 8).Select(id => g.Tokenizer.Prompt(g.Codec.Prompt(id.ToString(System.Globalization.CultureInfo.InvariantCulture))))];
        using var rng = new Generator(1, CPU);
        var (batched, _) = g.GenerateTokens(prompts, rng, null, useCache: true, temperature: 0, CancellationToken.None);
        Assert.True(batched.Select(t => t.Count).Distinct().Count() > 1, "the prompts should end at different steps");
        for (int s = 0; s < prompts.Length; s++)
        {
            using var alone = new Generator(1, CPU);
            var (single, _) = g.GenerateTokens([prompts[s]], alone, null, useCache: true, temperature: 0, CancellationToken.None);
            Assert.Equal(single[0], batched[s]);
        }
    }

    [Fact]
    public async Task Load_ReadsTokenizerFilesOnlyFromTheSavedFolder_NotFromTheSavedPretrainedPath()
    {
        using var dir = new TempDirectory();
        string pretrained = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-gpt2");
        var all = EhrDatasets.MimicIIIDemo();
        var data = all.Subset([.. Enumerable.Range(0, 8)]).WithVocabulary(all.Vocabulary);
        using var g = new LlmGenerator(new LlmOptions { Seed = 1, PretrainedPath = pretrained, Epochs = 1, BatchSize = 8, MaxNewTokens = 16, Threads = 1 });
        await g.FitAsync(data);
        g.Save(dir.File("model"));
        Assert.True(File.Exists(Path.Combine(dir.File("model"), LlmGenerator.HuggingFaceFolder, "vocab.json")));

        // A folder whose manifest names another "pretrained" folder with hostile tokenizer files.
        dir.Write("evil/vocab.json", "{ this is not json");
        dir.Write("evil/merges.txt", "garbage");
        string manifest = Path.Combine(dir.File("model"), "generator.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(System.Text.Json.JsonSerializer.Serialize(pretrained), System.Text.Json.JsonSerializer.Serialize(dir.File("evil")), StringComparison.Ordinal));
        Assert.Contains("evil", File.ReadAllText(manifest), StringComparison.Ordinal);

        using var loaded = LlmGenerator.Load(dir.File("model"));
        Assert.Equal(Rows(g.Generate(6, seed: 2)), Rows(loaded.Generate(6, seed: 2)));
    }

    private static string[] Rows(EhrSynth.Generators.Data.EhrDataset d) => [.. d.Records.Select(r => string.Join(",", r.Codes))];

    [Fact]
    public void ChunkOrderSeed_IsTheSameInEveryProcess()
    {
        // Pinned values: a per-process-randomised hash (HashCode.Combine) would give other numbers in every test run.
        Assert.Equal(PinnedSeedStep1, LlmGenerator.ChunkOrderSeed(42, 1));
        Assert.Equal(PinnedSeedStep2, LlmGenerator.ChunkOrderSeed(42, 2));
        Assert.NotEqual(LlmGenerator.ChunkOrderSeed(42, 1), LlmGenerator.ChunkOrderSeed(43, 1));
    }

    [Fact]
    public async Task Chunks_LossEqualsOnePaddedBatch()
    {
        using var g = await Untrained(LlmTokenizer.Code);
        var data = EhrDatasets.MimicIIIDemo();
        int[] patients = [.. Enumerable.Range(0, 100)];
        var chunks = g.Chunker.Chunks(data, patients, null);
        Assert.True(chunks.Count >= 2, "MIMIC-III demo records differ in length: the partition cuts them");
        var sentences = patients.Select(p => g.Chunker.Sentence(p, data.GetCodes(p), null)).ToArray();
        Assert.Equal(patients.Length, chunks.Sum(c => c.Rows));
        Assert.Equal(sentences.Sum(s => s.Length - 1L), chunks.Sum(c => c.Tokens));
        Assert.True(chunks.Zip(chunks.Skip(1)).All(p => p.First.Length <= p.Second.Length));
        Assert.Equal(sentences.Max(s => s.Length) - 1, chunks[^1].Length);

        // The naive batch: every sentence padded to the longest, targets −100 past each end, mean over real tokens.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        g.Network.eval();
        int length = sentences.Max(s => s.Length) - 1;
        var inputs = new long[patients.Length * length];
        var targets = new long[patients.Length * length];
        for (int b = 0; b < sentences.Length; b++)
        {
            for (int t = 0; t < length; t++)
            {
                inputs[(b * length) + t] = t < sentences[b].Length ? sentences[b][t] : g.Tokenizer.PadToken;
                targets[(b * length) + t] = t + 1 < sentences[b].Length ? sentences[b][t + 1] : -100;
            }
        }

        var logits = g.Network.call(tensor(inputs, [patients.Length, length]));
        double naive = nn.functional.cross_entropy(logits.flatten(0, 1), tensor(targets), ignore_index: -100).item<float>();
        double sum = 0;
        foreach (var c in chunks)
        {
            var l = g.Network.call(tensor(c.Inputs, [c.Rows, c.Length]));
            sum += nn.functional.cross_entropy(l.flatten(0, 1), tensor(c.Targets), ignore_index: -100, reduction: nn.Reduction.Sum).item<float>();
        }

        Assert.Equal(naive, sum / chunks.Sum(c => c.Tokens), 4);
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

    private static async Task<LlmGenerator> TrainedOnBlocks(EhrSynth.Generators.Data.EhrDataset data)
    {
        var g = new LlmGenerator(new LlmOptions
        {
            Seed = 1, Tokenizer = LlmTokenizer.Code, Model = new Gpt2Config { Layers = 2, Embedding = 32, Heads = 2, Positions = 64 },
            Epochs = 40, BatchSize = 32, LearningRate = 3e-3, Temperature = 1, TopK = 0, MaxNewTokens = 40, Threads = 1,
        });
        await g.FitAsync(data);
        return g;
    }

    [Fact]
    public async Task Cohort_ContinuesWithTheCodesThatGoWithTheRequiredOne_ThroughTheGenerateTemplate()
    {
        // Codes come in blocks of 4 that occur together: a cohort of patients with C012 (block 3, rare) must carry
        // C013 far more often than patients in general — the model conditions on the prompt, it does not just append.
        var data = Fixtures.Structured(patients: 1_200, codes: 16, seed: 11);
        using var g = await TrainedOnBlocks(data);
        double Rate(EhrSynth.Generators.Data.EhrDataset d, string code) => d.Records.Count(r => r.Codes.Contains(code)) / (double)d.PatientCount;
        var everyone = g.Generate(1_500, seed: 2);
        var cohort = g.GenerateCohort(["C012"], 600, seed: 3);
        Assert.Equal(600, g.LastGenerationReport!.RecordsGenerated);
        Assert.All(cohort.Records, r => Assert.Contains("C012", r.Codes));
        var withC012 = data.Subset([.. Enumerable.Range(0, data.PatientCount).Where(p => data.HasCode(p, 12))]);
        double real = Rate(withC012, "C013"), conditioned = Rate(cohort, "C013"), overall = Rate(everyone, "C013");
        Assert.True(conditioned > overall + 0.3, $"P(C013 | cohort C012) {conditioned:F2}, P(C013) {overall:F2}, real P(C013 | C012) {real:F2}");
        Assert.InRange(conditioned, real - 0.1, real + 0.1);
        Assert.Contains("C042", Assert.Throws<ArgumentException>(() => g.GenerateCohort(["C042"], 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompts_NeverUseAPatientIdTheModelWasTrainedOn()
    {
        var data = Fixtures.Structured(patients: 300, codes: 16, seed: 4);
        using var g = new LlmGenerator(LlmContractTests.TinyOptions(seed: 1, epochs: 1));
        await g.FitAsync(data);
        var trainingIds = Enumerable.Range(0, data.PatientCount).Select(g.Ids.ForTraining).ToHashSet();
        Assert.Equal(data.PatientCount, trainingIds.Count);
        Assert.All(trainingIds, id => Assert.True(g.Ids.IsTrainingId(id)));
        var prompted = new List<long>();
        g.PromptObserver = prompted.Add;
        g.Generate(2_000, seed: 5);
        g.GenerateCohort(["C001"], 50, seed: 6);
        Assert.Equal(2_000 + (50 * 4), prompted.Count);                       // a cohort draws CohortOversampling (4) records per record
        Assert.DoesNotContain(prompted, trainingIds.Contains);
        Assert.All(prompted, id => Assert.False(g.Ids.IsTrainingId(id)));
        Assert.All(prompted, id => Assert.Equal(trainingIds.First().ToString(System.Globalization.CultureInfo.InvariantCulture).Length, id.ToString(System.Globalization.CultureInfo.InvariantCulture).Length));

        // The ids survive a save and load.
        using var dir = new TempDirectory();
        g.Save(dir.File("m"));
        using var loaded = LlmGenerator.Load(dir.File("m"));
        Assert.Equal(g.Ids.ForSample(0), loaded.Ids.ForSample(0));
        Assert.True(loaded.Ids.IsTrainingId(trainingIds.First()));
    }

    [Fact]
    public async Task CodesOnlyTemplate_TrainsOnSentencesWithoutTheIdsTokens_AndSurvivesASaveAndLoad()
    {
        var data = Fixtures.Structured(patients: 300, codes: 16, seed: 4);
        var options = LlmContractTests.TinyOptions(seed: 1, epochs: 1);
        options.Template = PatientSentenceCodec.CodesOnlyTemplate;
        using var g = new LlmGenerator(options);
        await g.FitAsync(data);
        using var paper = new LlmGenerator(LlmContractTests.TinyOptions(seed: 1, epochs: 1));
        await paper.FitAsync(data);

        // By hand: 2 prompt words + n codes + (n − 1) separators + end; the paper's sentence adds "Patient ID", the
        // 3 digits of an id (300 patients: 9 × 100 ≥ 2 × 300) and "has" — 6 more tokens.
        for (int p = 0; p < 20; p++)
        {
            int n = data.GetCodes(p).Length;
            Assert.Equal(2 + n + (n - 1) + 1, g.Chunker.Sentence(p, data.GetCodes(p), null).Length);
            Assert.Equal(2 + n + (n - 1) + 1 + 6, paper.Chunker.Sentence(p, data.GetCodes(p), null).Length);
        }

        var synthetic = g.Generate(200, seed: 2);
        Assert.Equal(200, synthetic.PatientCount);
        Assert.Equal(0, g.LastGenerationReport!.InvalidRecords);
        Assert.Contains("sentence \"Diagnostic Code(s) {codes}\"", LlmGenerator.Family.Describe(g.Options), StringComparison.Ordinal);
        Assert.DoesNotContain("sentence", LlmGenerator.Family.Describe(paper.Options), StringComparison.Ordinal);

        using var dir = new TempDirectory();
        g.Save(dir.File("m"));
        using var loaded = LlmGenerator.Load(dir.File("m"));
        Assert.Equal(PatientSentenceCodec.CodesOnlyTemplate, loaded.Options.Template);
        Assert.Equal(g.Chunker.Sentence(0, data.GetCodes(0), null), loaded.Chunker.Sentence(0, data.GetCodes(0), null));
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
