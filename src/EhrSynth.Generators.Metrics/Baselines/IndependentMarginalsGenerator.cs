using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Metrics.Baselines;

/// <summary>
/// The floor every model must beat: each code is drawn independently with its training prevalence. It matches the
/// per-code marginals almost exactly (dimension-wise Pearson ≈ 0.9999 on UCI Diabetes) and knows nothing about which
/// codes go together, so co-occurrence metrics show what a model adds beyond marginals. No TorchSharp.
/// </summary>
public sealed class IndependentMarginalsGenerator : EhrGeneratorBase<IndependentMarginalsOptions>, EhrSynth.Generators.Privacy.IDifferentiallyPrivate
{
    private double[] _prevalence = [];

    /// <summary>Creates the baseline.</summary>
    public IndependentMarginalsGenerator(IndependentMarginalsOptions? options = null, ILogger<IndependentMarginalsGenerator>? logger = null)
        : base(options ?? new IndependentMarginalsOptions(), logger)
    {
    }

    /// <summary>The family name.</summary>
    public const string FamilyName = "Independent marginals";

    /// <inheritdoc />
    public override string Name => FamilyName;

    /// <summary>Loads a saved baseline.</summary>
    public static IndependentMarginalsGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILogger<IndependentMarginalsGenerator>? logger = null, CancellationToken cancellationToken = default) =>
        LoadGenerator(folder, FamilyName, o => new IndependentMarginalsGenerator(o, logger), expectedVocabulary, device, cancellationToken);

    /// <inheritdoc />
    protected override int MinimumTrainingPatients => 1;

    /// <summary>
    /// The family description: not in the default comparison (every comparison has the floor row already); a privacy
    /// sweep adds the private floor through its <see cref="GeneratorFamily.Privacy"/> capability.
    /// </summary>
    public static GeneratorFamily<IndependentMarginalsOptions> Family { get; } = new()
    {
        Name = "floor",
        DisplayName = FamilyName,
        Summary = "The floor: every code drawn independently at its training prevalence (privately released under --dp-epsilon).",
        Cohorts = CohortMethod.ExactConditional,
        Privacy = new PrivacyCapability
        {
            Mechanism = "Gaussian mechanism on code counts",
            Apply = (o, t) => (((IndependentMarginalsOptions)o).Epsilon, ((IndependentMarginalsOptions)o).Delta) = (t.Epsilon, t.Delta),
            Describe = o => o is IndependentMarginalsOptions { Epsilon: { } e } m
                ? FormattableString.Invariant($"prevalences released with the Gaussian mechanism at ε = {e:G3}, δ = {EhrSynth.Generators.Privacy.PrivacyGuarantee.FormatDelta(m.Delta)} (ρ-zCDP, K = {m.CodeCap}; N public)")
                : "",
        },
        InDefaultComparison = false,
        PresetFactories = new Dictionary<string, Func<int?, IndependentMarginalsOptions>>
        {
            [GeneratorFamily.Quick] = seed => new IndependentMarginalsOptions { Seed = seed },
            [GeneratorFamily.Long] = seed => new IndependentMarginalsOptions { Seed = seed },
            [GeneratorFamily.Paper] = seed => new IndependentMarginalsOptions { Seed = seed },
        },
        Creator = (o, log) => new IndependentMarginalsGenerator(o, log?.CreateLogger<IndependentMarginalsGenerator>()),
        Loader = (folder, vocabulary, device, log, ct) => Load(folder, vocabulary, device, log?.CreateLogger<IndependentMarginalsGenerator>(), ct),
        Describer = o => o.Epsilon is null ? "exact training prevalences" : "private prevalences",
        EpochSetter = (_, _) => { },
    };

    /// <summary>The guarantee of a private release; <see langword="null"/> for the exact floor.</summary>
    public EhrSynth.Generators.Privacy.PrivacyGuarantee? PrivacyGuarantee { get; private set; }

    /// <inheritdoc />
    protected override void ValidateTrainingData(EhrDataset trainingData)
    {
        base.ValidateTrainingData(trainingData);
        if (Options.Epsilon is not null)
        {
            RequirePublicVocabulary(trainingData);
        }
    }

    /// <inheritdoc />
    protected override void FitCore(EhrDataset trainingData, int seed, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        PrivacyGuarantee = null;
        if (Options.Epsilon is { } epsilon)
        {
            // The Gaussian mechanism on the capped counts (L2 sensitivity √K) is Δ²/(2σ²)-zCDP: spend ρ(ε, δ) exactly.
            double rho = EhrSynth.Generators.Privacy.ZcdpConversion.Rho(epsilon, Options.Delta);
            double z = 1 / Math.Sqrt(2 * rho);
            _prevalence = EhrSynth.Generators.Privacy.PrivatePrevalences.Release(trainingData, z, Options.CodeCap, seed);
            PrivacyGuarantee = EhrSynth.Generators.Privacy.PrivacyGuarantee.Zcdp(epsilon, Options.Delta, rho,
                FormattableString.Invariant($"Gaussian mechanism on code counts, z {z:G4}, K {Options.CodeCap}"));
        }
        else
        {
            _prevalence = trainingData.CodePrevalence();
        }

        progress?.Report(new TrainingProgress(new("fit"), 1, 1, 1, 1, new Dictionary<string, double>(), TimeSpan.Zero, trainingData.PatientCount));
    }

    /// <inheritdoc />
    protected override EhrDataset GenerateCore(int count, int seed, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        Draw(Vocabulary!, _prevalence, count, seed, progress, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Codes are independent, so the cohort's conditional sets the required codes, drops the excluded ones and draws the rest as always.</remarks>
    public override CohortMethod CohortMethod => CohortMethod.ExactConditional;

    /// <inheritdoc />
    protected override (EhrDataset Data, CohortReport Report) GenerateCohortCore(CohortCodes cohort, int count, int seed, CohortSamplingOptions sampling, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var conditioned = (double[])_prevalence.Clone();
        foreach (int c in cohort.Required)
        {
            conditioned[c] = 1;
        }

        foreach (int c in cohort.Excluded)
        {
            conditioned[c] = 0;
        }

        return (Draw(Vocabulary!, conditioned, count, seed, progress, cancellationToken), new CohortReport(cohort.Text, CohortMethod.ExactConditional, count, count));
    }

    /// <summary>Draws <paramref name="count"/> records with each code independently present at its prevalence in <paramref name="train"/>.</summary>
    public static EhrDataset Sample(EhrDataset train, int count, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Draw(train.Vocabulary, train.CodePrevalence(), count, seed, null, cancellationToken);
    }

    private static EhrDataset Draw(CodeVocabulary vocabulary, double[] prevalence, int count, int seed, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var builder = new EhrDatasetBuilder(vocabulary, "syn-");
        var rng = new Random(seed);
        var row = new List<int>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new GenerationProgress(i, count, watch.Elapsed));
            }

            row.Clear();
            for (int c = 0; c < prevalence.Length; c++)
            {
                if (rng.NextDouble() < prevalence[c])
                {
                    row.Add(c);
                }
            }

            builder.AddPatientSorted(null, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(row));
        }

        progress?.Report(new GenerationProgress(count, count, watch.Elapsed));
        return builder.Build();
    }

    /// <inheritdoc />
    protected override void SaveCore(string folder, Dictionary<string, JsonElement> state) =>
        state["prevalence"] = JsonSerializer.SerializeToElement(_prevalence);

    /// <inheritdoc />
    protected override void LoadCore(string folder, GeneratorManifest manifest, CodeVocabulary vocabulary, CancellationToken cancellationToken)
    {
        var prevalence = manifest.State.TryGetValue("prevalence", out var p) ? p.Deserialize<double[]>() : null;
        if (prevalence is null || prevalence.Length != vocabulary.Count)
        {
            throw new InvalidDataException($"{folder}: the saved prevalence has {prevalence?.Length ?? 0} entries for {vocabulary.Count} codes.");
        }

        _prevalence = prevalence;
    }
}
