using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Marginal.Mst;
using EhrSynth.Generators.Privacy;
using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Marginal;

/// <summary>
/// MST (McKenna, Miklau and Sheldon, "Winning the NIST Contest: A scalable and general approach to differentially private
/// synthetic data", 2021; winner of the 2018 NIST challenge) for a binary patient × code matrix: a tree-structured model
/// of the codes, every number it learns measured with the Gaussian mechanism or chosen by the exponential mechanism, the
/// whole accounted in ρ-zCDP and reported as (ε, δ)-DP (<see cref="ZcdpConversion"/>). No TorchSharp.
/// </summary>
/// <remarks>
/// As private-pgm's <c>mst.py</c>: ρ = ρ(ε, δ) split in thirds (<see cref="MstOptions.BudgetSplit"/>) — (1) the one-way marginals of every code; (2) a
/// spanning tree of code pairs, drawn edge by edge by the exponential mechanism with scores the L1 error of each pair's
/// table under the one-way estimate (<see cref="TreeSelection"/>); (3) the pair marginals of the tree's edges — then
/// the model fitted to all measurements by Private-PGM's mirror descent (<see cref="TreeInference"/>) and sampled
/// ancestrally. What is measured follows <see cref="MstOptions.Measurements"/>. Departures: binary codes need no domain
/// compression (mst.py's <c>compress_domain</c> leaves a two-value attribute as it is); records are sampled ancestrally
/// rather than by private-pgm's rounding to the estimated counts; the one-way estimate used for selection is the
/// closed-form least-squares marginal that private-pgm's 1,000 mirror-descent iterations approach.
/// </remarks>
public sealed class MstGenerator : EhrGeneratorBase<MstOptions>, IDifferentiallyPrivate
{
    /// <summary>The family name in saved manifests and report rows.</summary>
    public const string FamilyName = "MST";

    /// <summary>A zCDP guarantee leaves DP-SGD's fields NaN: written as "NaN".</summary>
    private static readonly JsonSerializerOptions GuaranteeJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private BinaryTreeModel? _tree;
    private (int A, int B)[] _edges = [];
    private double[] _present = [];
    private double[] _joint = [];

    /// <summary>Creates an unfitted MST.</summary>
    public MstGenerator(MstOptions? options = null, ILogger<MstGenerator>? logger = null)
        : base(options ?? new MstOptions(), logger)
    {
    }

    /// <summary>The family description: private by default (its non-private row is the same estimator without noise).</summary>
    public static GeneratorFamily<MstOptions> Family { get; } = new()
    {
        Name = "mst",
        DisplayName = FamilyName,
        Summary = "MST: a differentially private tree of code pairs from noisy marginals (McKenna et al. 2021), accounted in zero-concentrated DP.",
        Cohorts = CohortMethod.ExactConditional,
        Privacy = new PrivacyCapability
        {
            Mechanism = "MST, ρ-zCDP",
            PrivateByDefault = true,
            Apply = (o, t) => (((MstOptions)o).Epsilon, ((MstOptions)o).Delta) = (t.Epsilon, t.Delta),
            Describe = o => o is MstOptions { Epsilon: { } e } m
                ? FormattableString.Invariant($"MST to ε = {e:G3} at δ = {PrivacyGuarantee.FormatDelta(m.Delta)} (public vocabulary; ρ-zCDP)")
                : "",
            WithoutNoise = o => ((MstOptions)o).Epsilon = null,
        },
        InDefaultComparison = false,
        PresetFactories = new Dictionary<string, Func<int?, MstOptions>>
        {
            [GeneratorFamily.Quick] = MstOptions.Quick,
            [GeneratorFamily.Long] = MstOptions.Quick,
            [GeneratorFamily.Paper] = MstOptions.Paper,
        },
        Creator = (o, log) => new MstGenerator(o, log?.CreateLogger<MstGenerator>()),
        Loader = (folder, vocabulary, device, log, ct) => Load(folder, vocabulary, device, log?.CreateLogger<MstGenerator>(), ct),
        Describer = Describe,
        EpochSetter = (_, _) => { },
    };

    /// <inheritdoc />
    public override string Name => FamilyName;

    /// <inheritdoc />
    public PrivacyGuarantee? PrivacyGuarantee { get; private set; }

    /// <summary>The codes' spanning tree of the last fit (pairs of column indices).</summary>
    public IReadOnlyList<(int A, int B)> Edges => _edges;

    /// <summary>Loads an MST saved with <c>Save</c>.</summary>
    public static MstGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILogger<MstGenerator>? logger = null, CancellationToken cancellationToken = default) =>
        LoadGenerator(folder, FamilyName, o => new MstGenerator(o, logger), expectedVocabulary, device, cancellationToken);

    /// <summary>One line: the measurements, the guarantee asked for, the split.</summary>
    public static string Describe(MstOptions o) => o.Epsilon is { } e
        ? FormattableString.Invariant($"MST: {(o.Measurements == MstMeasurements.Sparse ? $"sparse counts (present codes and pairs, K = {o.CodeCap}; a departure from mst.py's one-hot tables)" : "one-hot one-way and pair tables (mst.py)")}{(o.SupportThreshold is { } t ? $", codes below {t:G3}σ in no pair (a departure)" : "")}, ε = {e:G3}, δ = {PrivacyGuarantee.FormatDelta(o.Delta)}, {o.BudgetSplit}{(o.BudgetSplit == MstBudgetSplit.Thirds ? "" : " (a departure)")}, {o.Iterations:N0} mirror-descent iterations")
        : "MST without noise (exact marginals, the best-scoring tree; not private)";

    /// <inheritdoc />
    protected override void ValidateTrainingData(EhrDataset trainingData)
    {
        base.ValidateTrainingData(trainingData);
        if (trainingData.CodeCount > Options.MaxCodes)
        {
            throw new ArgumentException($"{Name}: {trainingData.CodeCount:N0} codes is more than MaxCodes ({Options.MaxCodes:N0}): the selection scores every pair of codes. Group the codes to categories, or raise MaxCodes.", nameof(trainingData));
        }

        if (Options.Epsilon is not null)
        {
            RequirePublicVocabulary(trainingData);
        }
    }

    /// <inheritdoc />
    protected override void FitCore(EhrDataset trainingData, int seed, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var o = Options;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var rng = new Random(seed);
        var stats = new MstStatistics(trainingData, o.CodeCap, cancellationToken);
        double rho = o.Epsilon is { } eps ? ZcdpConversion.Rho(eps, o.Delta) : double.PositiveInfinity;
        var plan = new MstMeasurementPlan(stats, o.Measurements, rho * o.BudgetSplit.OneWay, rho * o.BudgetSplit.Pairs, rng);

        // 1. One-way marginals; 2. the tree; 3. its pair marginals.
        var (total, present) = plan.OneWay();
        Report(progress, watch, 1, new("one-way-marginals"));
        _edges = [.. TreeSelection.Select(stats.Codes, plan.Supported(o.SupportThreshold), stats.Scores(total, present), rho * o.BudgetSplit.Selection, rng, cancellationToken)];
        Report(progress, watch, 2, new("tree"));
        plan.TwoWay(_edges);

        // 4. The model that agrees with them (exact marginals without noise).
        (_present, _joint) = double.IsPositiveInfinity(rho) ? stats.Exact(_edges) : plan.Fit(_edges, o.Iterations, cancellationToken);
        Report(progress, watch, 3, new("fit"));
        _tree = BinaryTreeModel.Create(stats.Codes, _edges, c => _present[c], e => _joint[e]);
        PrivacyGuarantee = o.Epsilon is { } target
            ? PrivacyGuarantee.Zcdp(target, o.Delta, rho, FormattableString.Invariant(
                $"MST, {(o.Measurements == MstMeasurements.Sparse ? $"sparse counts, K {o.CodeCap}" : "one-hot tables")}, σ one-way {plan.SigmaOneWay:G4}, σ pairs {plan.SigmaTwoWay:G4}, {_edges.Length:N0} edges by the exponential mechanism"))
            : null;
    }

    /// <inheritdoc />
    protected override EhrDataset GenerateCore(int count, int seed, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        (_tree ?? throw new InvalidOperationException($"{Name} is not fitted.")).Sample(Vocabulary!, count, seed, progress, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The tree's exact conditional: belief propagation with the cohort's codes as evidence, then ancestral sampling.</remarks>
    public override CohortMethod CohortMethod => CohortMethod.ExactConditional;

    /// <inheritdoc />
    protected override (EhrDataset Data, CohortReport Report) GenerateCohortCore(CohortCodes cohort, int count, int seed, CohortSamplingOptions sampling, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var tree = _tree ?? throw new InvalidOperationException($"{Name} is not fitted.");
        var (conditioned, share) = tree.Condition(cohort.Required, cohort.Excluded);
        var report = new CohortReport(cohort.Text, CohortMethod.ExactConditional, count, count) { ModelShare = share };
        if (!(share > 0))
        {
            throw new CohortUnreachableException($"{Name}: the model gives the cohort {cohort.Text} probability 0 (a required code never occurs in it, or never with the others).", report with { Drawn = 0, Accepted = 0 });
        }

        return (conditioned.Sample(Vocabulary!, count, seed, progress, cancellationToken), report);
    }

    /// <inheritdoc />
    protected override void SaveCore(string folder, Dictionary<string, JsonElement> state)
    {
        state["edges"] = JsonSerializer.SerializeToElement(_edges.Select(e => new[] { e.A, e.B }).ToArray());
        state["present"] = JsonSerializer.SerializeToElement(_present);
        state["joint"] = JsonSerializer.SerializeToElement(_joint);
        state["privacy"] = JsonSerializer.SerializeToElement(PrivacyGuarantee, GuaranteeJson);
    }

    /// <inheritdoc />
    protected override void LoadCore(string folder, GeneratorManifest manifest, CodeVocabulary vocabulary, CancellationToken cancellationToken)
    {
        int[][]? edges = manifest.State.TryGetValue("edges", out var e) ? e.Deserialize<int[][]>() : null;
        double[]? present = manifest.State.TryGetValue("present", out var p) ? p.Deserialize<double[]>() : null;
        double[]? joint = manifest.State.TryGetValue("joint", out var j) ? j.Deserialize<double[]>() : null;
        if (edges is null || present is null || joint is null || present.Length != vocabulary.Count || joint.Length != edges.Length
            || edges.Any(x => x is not { Length: 2 } || (uint)x[0] >= (uint)vocabulary.Count || (uint)x[1] >= (uint)vocabulary.Count))
        {
            throw new InvalidDataException($"{folder}: the saved tree does not fit {vocabulary.Count} codes.");
        }

        _edges = [.. edges.Select(x => (x[0], x[1]))];
        (_present, _joint) = (present, joint);
        try
        {
            _tree = BinaryTreeModel.Create(vocabulary.Count, _edges, c => _present[c], k => _joint[k]);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{folder}: the saved tree is not a forest ({ex.Message}).", ex);
        }

        PrivacyGuarantee = manifest.State.TryGetValue("privacy", out var g) && g.ValueKind == JsonValueKind.Object ? g.Deserialize<PrivacyGuarantee>(GuaranteeJson) : null;
    }

    private static void Report(IProgress<TrainingProgress>? progress, System.Diagnostics.Stopwatch watch, int step, TrainingPhaseName phase) =>
        progress?.Report(new TrainingProgress(phase, 1, 1, step, 3, new Dictionary<string, double>(), watch.Elapsed, 0));
}
