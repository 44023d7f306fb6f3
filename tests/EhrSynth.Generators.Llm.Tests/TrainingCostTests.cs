using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Llm.Tests;

/// <summary>What a fit reports it cost (<see cref="TrainingCost"/>): the size study's parameters and tokens.</summary>
public class TrainingCostTests
{
    private static async Task<TrainingCost> Fit(EhrDataset data, int epochs, LlmTokenizer tokenizer = LlmTokenizer.Code, Gpt2Config? model = null)
    {
        var options = LlmContractTests.TinyOptions(seed: 3, epochs);
        (options.Tokenizer, options.Model) = (tokenizer, model ?? options.Model);
        using var generator = new LlmGenerator(options);
        Assert.Null(generator.LastTrainingCost);
        await generator.FitAsync(data);
        return generator.LastTrainingCost!;
    }

    [Fact]
    public async Task Tokens_GrowByACodeAndASeparatorPerPatientAndEpoch()
    {
        // With the code-level tokenizer a code is one token and a separator another: giving every patient one more code
        // adds exactly two target tokens per patient and epoch, whatever the prompt costs.
        var data = Fixtures.Structured(patients: 40, codes: 20, seed: 5);
        var longer = EhrDataset.FromRecords(data.Records.Select(r => r with
        {
            Codes = [.. r.Codes, data.Vocabulary.First(c => !r.Codes.Contains(c))],
        }), data.Vocabulary);
        var one = await Fit(data, epochs: 1);
        var more = await Fit(longer, epochs: 1);
        var two = await Fit(data, epochs: 2);

        Assert.Equal(Generation.TrainingUnit.Tokens, one.Unit);
        Assert.Equal(2L * data.PatientCount, more.Processed - one.Processed);
        Assert.Equal(2 * one.Processed, two.Processed);
        Assert.Equal(6.0 * one.Parameters * one.Processed, one.EstimatedFlops);
    }

    [Fact]
    public async Task Parameters_CountTheTiedEmbeddingOnce()
    {
        // GPT-2 with 2 layers, width 16, 64 positions and the 50,257-token BPE vocabulary, by hand: token embedding
        // 50,257 × 16 = 804,112 (tied with the output layer), positions 64 × 16 = 1,024, per layer 12·16² + 13·16 = 3,280,
        // final layer norm 32: 804,112 + 1,024 + 6,560 + 32 = 811,728.
        var data = Fixtures.Structured(patients: 16, codes: 10, seed: 2);
        var cost = await Fit(data, epochs: 1, LlmTokenizer.Gpt2Bpe, new Gpt2Config { Layers = 2, Embedding = 16, Heads = 2, Positions = 64 });
        Assert.Equal(811_728, cost.Parameters);
    }
}
