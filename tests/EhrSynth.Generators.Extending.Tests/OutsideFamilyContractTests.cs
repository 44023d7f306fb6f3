using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Extending.Tests;

/// <summary>The published contract, passed by a diffusion family written outside the library (public API only).</summary>
public class FlowMatchingContractTests : EhrGeneratorContractTests<FlowMatchingGenerator>
{
    protected override FlowMatchingGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) => new(new FlowMatchingOptions
    {
        Seed = seed,
        Epochs = epochs,
        BatchSize = 16,
        HiddenDims = [32, 16, 32],
        TimeEmbeddingDim = 8,
        TimeHiddenDim = 16,
        LearningRate = 3e-3,
        EulerSteps = 6,
        Threads = 1,
        CheckpointDirectory = checkpointDirectory,
    });

    protected override FlowMatchingGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => FlowMatchingGenerator.Load(folder, expectedVocabulary);

    protected override FlowMatchingGenerator CreateWithInvalidOptions() => new(new FlowMatchingOptions { TimeEmbeddingDim = 7, HiddenDims = [] });

    protected override FlowMatchingGenerator CreateForLearning(bool trained) => new(new FlowMatchingOptions
    {
        Seed = 1,
        Epochs = trained ? 150 : 1,
        BatchSize = 64,
        HiddenDims = [128, 128],
        TimeEmbeddingDim = 16,
        TimeHiddenDim = 32,
        LearningRate = trained ? 3e-3 : 1e-8,
        EulerSteps = 20,
        Binarization = BinarizationMode.Bernoulli,
        Threads = 1,
    });

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.Train, "loss");

    protected override int EpochsForLossTest => 30;
}

/// <summary>The published contract, passed by a GAN written outside the library (public API only).</summary>
public class TinyGanContractTests : EhrGeneratorContractTests<TinyGanGenerator>
{
    protected override TinyGanGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) => new(new TinyGanOptions
    {
        Seed = seed,
        PretrainEpochs = 2,
        Epochs = epochs,
        BatchSize = 16,
        EmbeddingDim = 8,
        DiscriminatorDim = 16,
        Threads = 1,
        CheckpointDirectory = checkpointDirectory,
    });

    protected override TinyGanGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => TinyGanGenerator.Load(folder, expectedVocabulary);

    protected override TinyGanGenerator CreateWithInvalidOptions() => new(new TinyGanOptions { EmbeddingDim = 0, BatchSize = 1 });

    protected override TinyGanGenerator CreateForLearning(bool trained) => new(new TinyGanOptions
    {
        Seed = 1,
        PretrainEpochs = trained ? 10 : 1,
        Epochs = trained ? 60 : 1,
        BatchSize = 64,
        EmbeddingDim = 16,
        DiscriminatorDim = 64,
        LearningRate = trained ? 2e-3 : 1e-8,
        AdamBeta1 = 0.5,
        SampledFakes = true,
        Threads = 1,
    });

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.PretrainAutoencoder, "loss");
}
