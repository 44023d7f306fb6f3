using EhrSynth.Generators.Data;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Vae.Tests;

public class ConvVaeContractTests : EhrGeneratorContractTests<VaeGenerator>
{
    protected override VaeGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) => new(new VaeOptions
    {
        Seed = seed,
        Epochs = epochs,
        BatchSize = 16,
        HiddenChannels = 8,
        LatentDim = 8,
        Threads = 1,
        CheckpointDirectory = checkpointDirectory,
    });

    protected override VaeGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => VaeGenerator.Load(folder, expectedVocabulary);

    protected override VaeGenerator CreateWithInvalidOptions() => new(new VaeOptions { Epochs = 0, LatentDim = -1, Threshold = 2 });

    protected override (string Phase, string Key) DecreasingLoss => ("train", "loss");
}

public class MlpVaeContractTests : EhrGeneratorContractTests<VaeGenerator>
{
    protected override VaeGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) => new(new VaeOptions
    {
        Architecture = VaeArchitecture.Mlp,
        Seed = seed,
        Epochs = epochs,
        BatchSize = 16,
        MlpHidden = 16,
        LatentDim = 8,
        Threads = 1,
        CheckpointDirectory = checkpointDirectory,
    });

    protected override VaeGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => VaeGenerator.Load(folder, expectedVocabulary);

    protected override VaeGenerator CreateWithInvalidOptions() => new(new VaeOptions { BatchSize = 0, MlpHidden = 0 });

    protected override (string Phase, string Key) DecreasingLoss => ("train", "loss");
}
