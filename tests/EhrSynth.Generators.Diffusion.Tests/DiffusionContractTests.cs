using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Diffusion.Ddpm;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Diffusion.Tests;

public class EhrDiffContractTests : EhrGeneratorContractTests<EhrDiffGenerator>
{
    protected override long? MeasureModelBuildResidue(EhrDiffGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureModelBuildResidue(codeCount);

    protected override (long? Predicted, long Actual)? MeasureStateSize(EhrDiffGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureStateSize(codeCount);

    protected override EhrDiffGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) => new(Tiny(seed, epochs, checkpointDirectory));

    /// <summary>The contract's tiny EHRDiff.</summary>
    internal static EhrDiffOptions Tiny(int seed, int epochs, string? checkpointDirectory) => new()
    {
        Seed = seed,
        Epochs = epochs,
        BatchSize = 16,
        HiddenDims = [32, 16, 32],
        TimeEmbeddingDim = 8,
        TimeHiddenDim = 16,
        LearningRate = 3e-3,
        SamplerSteps = 6,
        Threads = 1,
        CheckpointDirectory = checkpointDirectory,
    };

    protected override EhrDiffGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => EhrDiffGenerator.Load(folder, expectedVocabulary);

    protected override EhrDiffGenerator CreateWithInvalidOptions() => new(new EhrDiffOptions { TimeEmbeddingDim = 7, SigmaMin = 100, HiddenDims = [] });

    protected override EhrDiffGenerator CreateForLearning(bool trained) => new(ForLearning(trained));

    /// <summary>The EHRDiff of the learning tests (Bernoulli draws): trained, or with a learning rate too small to learn.</summary>
    internal static EhrDiffOptions ForLearning(bool trained) => new()
    {
        Seed = 1,
        Epochs = trained ? 60 : 1,
        BatchSize = 64,
        HiddenDims = [64, 64],
        TimeEmbeddingDim = 16,
        TimeHiddenDim = 32,
        LearningRate = trained ? 3e-3 : 1e-8,
        SamplerSteps = 10,
        Binarization = Generation.BinarizationMode.Bernoulli,
        Threads = 1,
    };

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.Train, "loss");

    protected override int EpochsForLossTest => 30;
}

public class DdpmContractTests : EhrGeneratorContractTests<DdpmGenerator>
{
    protected override long? MeasureModelBuildResidue(DdpmGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureModelBuildResidue(codeCount);

    protected override (long? Predicted, long Actual)? MeasureStateSize(DdpmGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureStateSize(codeCount);

    protected override DdpmGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) => new(new DdpmOptions
    {
        Seed = seed,
        Epochs = epochs,
        BatchSize = 16,
        HiddenDims = [32, 16, 32],
        TimeEmbeddingDim = 8,
        TimeHiddenDim = 16,
        LearningRate = 3e-3,
        Timesteps = 50,
        Sampler = DdpmSampler.Ddim,
        DdimSteps = 5,
        Threads = 1,
        CheckpointDirectory = checkpointDirectory,
    });

    protected override DdpmGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => DdpmGenerator.Load(folder, expectedVocabulary);

    protected override DdpmGenerator CreateWithInvalidOptions() => new(new DdpmOptions { BetaStart = 0.1, BetaEnd = 0.01, DdimSteps = 5000 });

    protected override DdpmGenerator CreateForLearning(bool trained) => new(new DdpmOptions
    {
        Seed = 1,
        Epochs = trained ? 150 : 1,
        BatchSize = 64,
        HiddenDims = [64, 64],
        TimeEmbeddingDim = 16,
        TimeHiddenDim = 32,
        LearningRate = trained ? 3e-3 : 1e-8,
        Timesteps = 100,
        Sampler = DdpmSampler.Ddim,
        DdimSteps = 20,
        Binarization = Generation.BinarizationMode.Bernoulli,
        Threads = 1,
    });

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.Train, "loss");

    protected override int EpochsForLossTest => 30;
}

/// <summary>EHRDiff with per-code thresholds fitted after training: the whole contract again (save, load, resume, learning).</summary>
public class EhrDiffCalibratedContractTests : EhrGeneratorContractTests<EhrDiffGenerator>
{
    protected override long? MeasureModelBuildResidue(EhrDiffGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureModelBuildResidue(codeCount);

    protected override (long? Predicted, long Actual)? MeasureStateSize(EhrDiffGenerator generator, int codeCount) => ((Torch.ITorchDiagnostics)generator).MeasureStateSize(codeCount);

    protected override EhrDiffGenerator Create(int seed, int epochs = 2, string? checkpointDirectory = null) =>
        new(Calibrated(EhrDiffContractTests.Tiny(seed, epochs, checkpointDirectory), samples: 500));

    protected override EhrDiffGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null) => EhrDiffGenerator.Load(folder, expectedVocabulary);

    protected override EhrDiffGenerator CreateWithInvalidOptions() => new(new EhrDiffOptions { CalibrateThresholds = true, Binarization = Generation.BinarizationMode.Bernoulli, CalibrationSamples = 10 });

    protected override EhrDiffGenerator CreateForLearning(bool trained) => new(Calibrated(EhrDiffContractTests.ForLearning(trained), samples: 2_000));

    /// <summary>Thresholds need Binarization = Threshold (the learning tests' options draw Bernoulli).</summary>
    private static EhrDiffOptions Calibrated(EhrDiffOptions options, int samples)
    {
        (options.Binarization, options.CalibrateThresholds, options.CalibrationSamples) = (Generation.BinarizationMode.Threshold, true, samples);
        return options;
    }

    protected override (TrainingPhaseName Phase, string Key) DecreasingLoss => (TrainingPhaseName.Train, "loss");

    protected override int EpochsForLossTest => 30;
}
