using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// The template's lifecycle: a fit (resume, validation split, model build, private-training plan, then a
/// <see cref="TrainingRun"/>), generation, save, load and dispose. The hooks it calls are in TorchGeneratorBase.cs.
/// </summary>
public abstract partial class TorchGeneratorBase<TOptions>
{
    /// <inheritdoc />
    protected override void FitCore(EhrDataset trainingData, int seed, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        using var gate = TorchProcessGate.Enter(Logger, Name, cancellationToken);
        using var threads = TorchThreads.Use(Options.Threads);
        Device = TorchDevices.Resolve(Options.Device);
        ModelVocabulary = trainingData.Vocabulary;
        var resume = TrainingCheckpoint.Find(Options.CheckpointDirectory, Name, trainingData.Vocabulary, Options.Seed, ref seed);
        if (resume is not null)
        {
            UseTrainingSeed(seed);
        }

        _fitNotes.Clear();
        var (train, validation) = TrainingRun.SplitValidation(Name, Options, PrepareTrainingData(trainingData, seed), seed);
        ReleaseModel();
        (PrivacyGuarantee, LastTrainingCost, PrivatePrevalences) = (null, null, null);
        SeedScope.SetGlobal(SeedScope.Derive(seed, 0));
        BuildModel(trainingData.CodeCount);
        _built = true;
        var phases = Phases(train.PatientCount);
        PrivateTrainingPlan? privatePlan = null;
        if (Options.Privacy is { } privacy)
        {
            privatePlan = PrivateTrainingPlan.Create(Name, privacy, CreatePrivateObjective(), phases, train.PatientCount);
            RequirePublicVocabulary(trainingData);                      // before any step
            phases = [privatePlan.Phase];
            PrivatePrevalences = privatePlan.ReleasePrevalences(train, seed);
        }

        using var run = new TrainingRun(this, seed, train, validation);
        if (resume is { } r)
        {
            run.Resume(Options.CheckpointDirectory!, r.Manifest, r.State);
        }
        else
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            InitializeFromData(train);
        }

        run.Run(phases, progress, cancellationToken);
        OnFitEnd(train);
        LastTrainingCost = new TrainingCost(TrainableParameters(), run.Processed, run.Unit);
        PrivacyGuarantee = privatePlan?.Guarantee();
        if (PrivacyGuarantee is { } spent)
        {
            Log.PrivacySpent(Logger, Name, spent.ToString());
        }
    }

    /// <inheritdoc />
    protected override EhrDataset GenerateCore(int count, int seed, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        RunSampling(seed, rng => Sample(count, rng, progress, cancellationToken), cancellationToken);

    /// <inheritdoc />
    protected override void SaveCore(string folder, Dictionary<string, JsonElement> state)
    {
        CheckpointStore.SaveWeights(Path.Combine(folder, CheckpointStore.WeightsFile), Modules());
        CheckpointStore.SaveOptimizers(folder, Optimizers());
        if (PrivacyGuarantee is { } privacy)
        {
            state[PrivacyStateKey] = JsonSerializer.SerializeToElement(privacy);
        }

        SaveState(state);
    }

    /// <inheritdoc />
    protected override void LoadCore(string folder, GeneratorManifest manifest, CodeVocabulary vocabulary, CancellationToken cancellationToken)
    {
        using var gate = TorchProcessGate.Enter(Logger, Name, cancellationToken);
        Device = TorchDevices.Resolve(Options.Device);
        ModelVocabulary = vocabulary;
        ReleaseModel();
        BeforeLoad(folder, manifest);
        var weights = SafetensorsFile.ReadHeader(Path.Combine(folder, CheckpointStore.WeightsFile));
        if (StateSize(vocabulary.Count) is { } expected && expected != weights.TotalElements)
        {
            throw new EhrDataFormatException(
                $"the weights hold {weights.TotalElements:N0} values, but the saved options describe a {Name} of {expected:N0} for {vocabulary.Count:N0} codes; the folder is inconsistent",
                weights.Path);
        }

        BuildModel(vocabulary.Count);
        _built = true;
        CheckpointStore.LoadWeights(weights, Modules());
        PrivacyGuarantee = manifest.State.TryGetValue(PrivacyStateKey, out var privacy) ? privacy.Deserialize<Privacy.PrivacyGuarantee>() : null;
        OnLoaded(manifest);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _built)
        {
            ReleaseModel();
            _built = false;
        }

        base.Dispose(disposing);
    }

    /// <summary>Trainable parameters over every module, a module or tensor shared between networks counted once.</summary>
    private long TrainableParameters() => Modules()
        .SelectMany(m => m.Module.parameters())
        .Distinct(ReferenceEqualityComparer.Instance)
        .Cast<Parameter>()
        .Where(p => p.requires_grad)
        .Sum(p => p.numel());
}
