using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Gan.CorGan;
using EhrSynth.Generators.Gan.MedGan;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Gan.Tests;

public class MedGanContractTests : EhrGeneratorContractTests<MedGanGenerator>
{
    protected override long? MeasureModelBuildResidue(MedGanGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureModelBuildResidue(codeCount);

    protected override (long? Predicted, long Actual)? MeasureStateSize(MedGanGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureStateSize(codeCount);

    protected override MedGanGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) => new(Tiny(seed, epochs, checkpointDirectory));

    /// <summary>The contract's tiny medGAN.</summary>
    internal static MedGanOptions Tiny(int seed, int epochs, string? checkpointDirectory) => new()
    {
        Seed = seed,
        PretrainEpochs = epochs,
        PretrainBatchSize = 16,
        Epochs = epochs,
        BatchSize = 32,
        EmbeddingDim = 8,
        DiscriminatorDims = [16, 8],
        BurnInBatches = 5,
        Threads = 1,
        CheckpointDirectory = checkpointDirectory,
    };

    protected override MedGanGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => MedGanGenerator.Load(folder, expectedVocabulary);

    protected override MedGanGenerator CreateWithInvalidOptions() => new(new MedGanOptions { EmbeddingDim = 0, DiscriminatorSteps = 0, L2 = -1 });

    protected override MedGanGenerator CreateForLearning(bool trained) => new(ForLearning(trained));

    /// <summary>The medGAN of the learning tests: trained, or with a learning rate too small to learn.</summary>
    internal static MedGanOptions ForLearning(bool trained) => new()
    {
        Seed = 1,
        PretrainEpochs = trained ? 10 : 1,
        PretrainBatchSize = 64,
        Epochs = trained ? 30 : 1,
        BatchSize = 64,
        EmbeddingDim = 16,
        DiscriminatorDims = [32, 16],
        DiscriminatorSteps = 1,
        LearningRate = trained ? 2e-3 : 1e-8,
        AdamBeta1 = 0.5,
        SampledFakes = true,
        BatchNormQuirk = false,
        BurnInBatches = 20,
        Threads = 1,
    };

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.PretrainAutoencoder, "loss");
}

public class CorGanContractTests : EhrGeneratorContractTests<CorGanGenerator>
{
    protected override long? MeasureModelBuildResidue(CorGanGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureModelBuildResidue(codeCount);

    protected override (long? Predicted, long Actual)? MeasureStateSize(CorGanGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureStateSize(codeCount);

    protected override CorGanGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) => new(new CorGanOptions
    {
        Seed = seed,
        PretrainEpochs = epochs,
        Epochs = epochs,
        BatchSize = 16,
        CriticDims = [16, 16],
        BoostedCriticSteps = 3,
        CriticSteps = 2,
        Threads = 1,
        CheckpointDirectory = checkpointDirectory,
    });

    protected override CorGanGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => CorGanGenerator.Load(folder, expectedVocabulary);

    protected override CorGanGenerator CreateWithInvalidOptions() => new(new CorGanOptions { ClipValue = 0, BatchSize = 0, CriticDims = [] });

    protected override CorGanGenerator CreateForLearning(bool trained) => new(new CorGanOptions
    {
        Seed = 1,
        PretrainEpochs = trained ? 5 : 1,
        Epochs = trained ? 20 : 1,
        BatchSize = 64,
        CriticDims = [32, 32],
        CriticSteps = 2,
        BoostedCriticSteps = 2,
        LearningRate = trained ? 2e-3 : 1e-8,
        DecoderLearningRate = trained ? 2e-4 : 1e-8,
        AdamBeta1 = 0.5,
        DecoderCodeBias = true,
        SampledFakes = true,
        Threads = 1,
    });

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.PretrainAutoencoder, "loss");
}

/// <summary>medGAN with prevalence offsets fitted after training (through its BatchNorm burn-in): the whole contract again.</summary>
public class MedGanCalibratedContractTests : EhrGeneratorContractTests<MedGanGenerator>
{
    protected override long? MeasureModelBuildResidue(MedGanGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureModelBuildResidue(codeCount);

    protected override (long? Predicted, long Actual)? MeasureStateSize(MedGanGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureStateSize(codeCount);

    protected override MedGanGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) =>
        new(Calibrated(MedGanContractTests.Tiny(seed, epochs, checkpointDirectory), samples: 500));

    protected override MedGanGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => MedGanGenerator.Load(folder, expectedVocabulary);

    protected override MedGanGenerator CreateWithInvalidOptions() => new(new MedGanOptions { CalibratePrevalence = true, Binarization = Generation.BinarizationMode.Threshold, CalibrationSamples = 1 });

    protected override MedGanGenerator CreateForLearning(bool trained) => new(Calibrated(MedGanContractTests.ForLearning(trained), samples: 2_000));

    private static MedGanOptions Calibrated(MedGanOptions options, int samples)
    {
        (options.CalibratePrevalence, options.CalibrationSamples) = (true, samples);
        return options;
    }

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.PretrainAutoencoder, "loss");
}
