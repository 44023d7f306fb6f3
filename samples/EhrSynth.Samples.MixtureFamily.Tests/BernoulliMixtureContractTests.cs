using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Samples.MixtureFamily.Tests;

/// <summary>The same contract every built-in family passes.</summary>
public class BernoulliMixtureContractTests : EhrGeneratorContractTests<BernoulliMixtureGenerator>
{
    protected override BernoulliMixtureGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) => new(new BernoulliMixtureOptions
    {
        Seed = seed,
        Epochs = epochs,
        Components = 4,
        BatchSize = 16,
        Threads = 1,
        CheckpointDirectory = checkpointDirectory,
    });

    protected override BernoulliMixtureGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => BernoulliMixtureGenerator.Load(folder, expectedVocabulary);

    protected override BernoulliMixtureGenerator CreateWithInvalidOptions() => new(new BernoulliMixtureOptions { Components = 0, Epochs = -1 });

    protected override BernoulliMixtureGenerator CreateForLearning(bool trained) => new(new BernoulliMixtureOptions
    {
        Seed = 1,
        Components = 16,
        Epochs = trained ? 30 : 1,
        BatchSize = 64,
        LearningRate = trained ? 0.05 : 1e-8,
        Threads = 1,
    });

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.Train, "nll");
}
