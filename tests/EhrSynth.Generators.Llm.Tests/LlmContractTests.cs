using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Llm.Tests;

public class LlmContractTests : EhrGeneratorContractTests<LlmGenerator>
{
    protected override long? MeasureModelBuildResidue(LlmGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureModelBuildResidue(codeCount);

    protected override (long? Predicted, long Actual)? MeasureStateSize(LlmGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureStateSize(codeCount);

    internal static LlmOptions TinyOptions(int seed, int epochs = 2, string? checkpointDirectory = null) => new()
    {
        Seed = seed,
        Tokenizer = LlmTokenizer.Code,
        Model = new Gpt2Config { Layers = 1, Embedding = 16, Heads = 2, Positions = 64 },
        Epochs = epochs,
        BatchSize = 16,
        LearningRate = 3e-3,
        MaxNewTokens = 40,
        Threads = 1,
        CheckpointDirectory = checkpointDirectory,
    };

    protected override LlmGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) => new(TinyOptions(seed, epochs, checkpointDirectory));

    protected override LlmGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => LlmGenerator.Load(folder, expectedVocabulary);

    protected override LlmGenerator CreateWithInvalidOptions() => new(new LlmOptions { Template = "no placeholders", ModelPreset = "gpt5", TopP = 0 });

    protected override LlmGenerator CreateForLearning(bool trained) => new(new LlmOptions
    {
        Seed = 1,
        Tokenizer = LlmTokenizer.Code,
        Model = new Gpt2Config { Layers = 2, Embedding = 32, Heads = 2, Positions = 64 },
        Epochs = trained ? 40 : 1,
        BatchSize = 32,
        LearningRate = trained ? 3e-3 : 1e-9,
        Temperature = 1,
        TopK = 0,
        MaxNewTokens = 40,
        Threads = 1,
    });

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.Train, "loss");
}
