using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Vae.Tests;

public class ConvVaeContractTests : EhrGeneratorContractTests<VaeGenerator>
{
    protected override long? MeasureModelBuildResidue(VaeGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureModelBuildResidue(codeCount);

    protected override (long? Predicted, long Actual)? MeasureStateSize(VaeGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureStateSize(codeCount);

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

    protected override VaeGenerator CreateForLearning(bool trained) => new(new VaeOptions
    {
        Seed = 1,
        Epochs = trained ? 40 : 1,
        BatchSize = 64,
        HiddenChannels = 16,
        LatentDim = 8,
        LearningRate = trained ? 1e-2 : 1e-8,
        DecoderBiasAtLogOdds = true,
        Threads = 1,
    });

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.Train, "loss");
}

public class MlpVaeContractTests : EhrGeneratorContractTests<VaeGenerator>
{
    protected override long? MeasureModelBuildResidue(VaeGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureModelBuildResidue(codeCount);

    protected override (long? Predicted, long Actual)? MeasureStateSize(VaeGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureStateSize(codeCount);

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

    protected override VaeGenerator CreateForLearning(bool trained) => new(new VaeOptions
    {
        Architecture = VaeArchitecture.Mlp,
        Seed = 1,
        Epochs = trained ? 40 : 1,
        BatchSize = 64,
        MlpHidden = 32,
        LatentDim = 8,
        LearningRate = trained ? 1e-2 : 1e-8,
        DecoderBiasAtLogOdds = true,
        Threads = 1,
    });

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.Train, "loss");
}
