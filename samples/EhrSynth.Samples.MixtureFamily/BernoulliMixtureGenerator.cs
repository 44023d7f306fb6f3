using EhrSynth.Generators.Data;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using EhrSynth.Samples.MixtureFamily.Modules;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Samples.MixtureFamily;

/// <summary>
/// A mixture of independent Bernoullis (a latent-class model): each patient belongs to one of K classes, and within a
/// class every code is an independent coin. Fitted by maximum likelihood with Adam through the public hooks of
/// <see cref="TorchGeneratorBase{TOptions}"/> — which gives it seeding, checkpoints and exact resume, held-out selection,
/// progress, cancellation and hostile-folder checks for free. Co-occurrence comes from the classes: codes frequent in the
/// same class occur together.
/// </summary>
public sealed class BernoulliMixtureGenerator : TorchGeneratorBase<BernoulliMixtureOptions>
{
    /// <summary>The family name in saved manifests and report rows.</summary>
    public const string FamilyName = "Bernoulli mixture";

    private BernoulliMixtureNet? _net;
    private EhrSynth.Generators.Torch.Optimizers.Adam? _optimizer;

    /// <summary>Creates an unfitted mixture.</summary>
    public BernoulliMixtureGenerator(BernoulliMixtureOptions? options = null, ILogger<BernoulliMixtureGenerator>? logger = null)
        : base(options ?? new BernoulliMixtureOptions(), logger)
    {
    }

    /// <summary>The family's description, registered by the programs that use it.</summary>
    public static GeneratorFamily<BernoulliMixtureOptions> Family { get; } = new()
    {
        Name = "bernoulli-mixture",
        DisplayName = FamilyName,
        Summary = "A mixture of independent Bernoullis (latent classes), fitted by maximum likelihood: a sample family from outside the library.",
        PresetFactories = new Dictionary<string, Func<int?, BernoulliMixtureOptions>>
        {
            [GeneratorFamily.Quick] = BernoulliMixtureOptions.Quick,
            [GeneratorFamily.Long] = BernoulliMixtureOptions.Long,
        },
        Creator = (o, log) => new BernoulliMixtureGenerator(o, log?.CreateLogger<BernoulliMixtureGenerator>()),
        Loader = (folder, vocabulary, device, log, ct) => Load(folder, vocabulary, device, log?.CreateLogger<BernoulliMixtureGenerator>(), ct),
        Describer = o => FormattableString.Invariant($"Bernoulli mixture: {o.Components} components, {o.Epochs} epochs, batch {o.BatchSize}, Adam {o.LearningRate:G3}"),
        EpochSetter = (o, e) => o.Epochs = e,
        Studies = [ComponentsStudy],
        CommandLine = new FamilyCommandLine
        {
            TrainOptions = [new(ComponentsOption, "Bernoulli mixture only: the number of latent classes K (default: the preset's).")],
            Apply = (o, values) => ((BernoulliMixtureOptions)o).Components = ParseComponents(values[ComponentsOption]),
        },
    };

    /// <summary>The sample's own command-line option, declared in <see cref="Family"/>: the CLI adds it to <c>train</c>.</summary>
    public const string ComponentsOption = "--components";

    /// <summary>The sample's own study, declared in <see cref="Family"/>: <c>compare --study mixture-components</c>.</summary>
    public static FamilyStudy ComponentsStudy => new()
    {
        Name = "mixture-components",
        Description = "the Bernoulli mixture (a sample family) with 2, 8 and 32 latent classes",
        Rows = (family, _) => [.. new[] { 2, 8, 32 }.Select(k => family.Variant($"{family.Name}-{k}", $"{family.DisplayName} (K = {k})", o => ((BernoulliMixtureOptions)o).Components = k))],
    };

    /// <inheritdoc />
    public override string Name => FamilyName;

    /// <summary>Loads a mixture saved with <c>Save</c>, on <paramref name="device"/>.</summary>
    public static BernoulliMixtureGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILogger<BernoulliMixtureGenerator>? logger = null, CancellationToken cancellationToken = default) =>
        LoadGenerator(folder, FamilyName, o => new BernoulliMixtureGenerator(o, logger), expectedVocabulary, device, cancellationToken);

    /// <inheritdoc />
    protected override void BuildModel(int codeCount)
    {
        _net = new BernoulliMixtureNet(Options.Components, codeCount);
        _net.to(Device);
        _optimizer = new EhrSynth.Generators.Torch.Optimizers.Adam(_net.parameters(), Options.LearningRate);
    }

    /// <inheritdoc />
    protected override void ReleaseModel()
    {
        _optimizer?.Dispose();
        _net?.Dispose();
        (_optimizer, _net) = (null, null);
    }

    /// <inheritdoc />
    protected override long? StateSize(int codeCount) => BernoulliMixtureNet.StateSize(Options.Components, codeCount);

    /// <summary>Every class starts at the training log-odds plus noise (the noise tells the classes apart).</summary>
    protected override void InitializeFromData(EhrDataset train)
    {
        var codeLogits = _net!.CodeLogits;
        LogOddsBias.Apply(codeLogits[0], train);
        using var seedNoise = randn(codeLogits.shape, device: Device);                          // global generator: seeded by the base class
        using var scale = 0.5.ToScalar();
        codeLogits.copy_(codeLogits[0].unsqueeze(0).expand(codeLogits.shape).add(seedNoise, scale));
    }

    /// <inheritdoc />
    protected override IReadOnlyList<TrainingPhase> Phases(int trainingPatients) =>
        [new TrainingPhase(TrainingPhaseName.Train, Options.Epochs, Options.BatchSize, Step)];

    /// <inheritdoc />
    protected override double ValidationLoss(EhrDataset validation, Generator rng)
    {
        return SumInScopes(PatientBatches(validation, Options.BatchSize),
            batch => -_net!.call(DenseBatch.Build(validation, batch, Device)).sum().item<float>()) / validation.PatientCount;
    }

    /// <inheritdoc />
    protected override EhrDataset Sample(int count, Generator rng, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var builder = new EhrDatasetBuilder(ModelVocabulary, "syn-");
        for (int done = 0; done < count;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Options.GenerationBatchSize, count - done);
            using var scope = NewDisposeScope();
            DenseBatch.AppendBinary(_net!.Sample(n, rng), BinarizationMode.Bernoulli, 0.5, rng, builder);   // [n, D] → n records
            done += n;
            progress?.Report(new GenerationProgress(done, count, TimeSpan.Zero));
        }

        return builder.Build();
    }

    /// <inheritdoc />
    protected override IEnumerable<(string Name, nn.Module Module)> Modules() => [("mixture", _net!)];

    /// <inheritdoc />
    protected override IEnumerable<(string Name, OptimizerHelper Optimizer)> Optimizers() => [("adam", _optimizer!)];

    private StepResult Step(StepContext step)
    {
        var x = step.NextDenseBatch();                                                            // [B, D]
        var loss = _net!.call(x).mean().neg();                                                    // mean −log p(x)
        _optimizer!.zero_grad();
        loss.backward();
        _optimizer.Step();
        return new StepResult(new Dictionary<string, double> { ["nll"] = loss.item<float>() });
    }

    private static int ParseComponents(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int k) && k >= 1
            ? k
            : throw new ArgumentException($"{ComponentsOption} takes a whole number of at least 1 (got '{EhrSynth.Generators.IO.TextSafety.Printable(text, 20)}').");
}
