using System.Diagnostics;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Baselines;
using EhrSynth.Generators.Metrics.Fidelity;
using EhrSynth.Generators.Metrics.Privacy;
using EhrSynth.Generators.Metrics.Utility;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EhrSynth.Generators.Metrics.Suite;

/// <summary>
/// Runs a chosen list of metrics over several synthetic datasets and collects one row per dataset, with the floor
/// (independent marginals) and ceiling (real data) rows that make every number readable.
/// </summary>
public sealed class MetricSuite
{
    private readonly ILogger _logger;

    /// <summary>Creates a suite of the given metrics, run in this order.</summary>
    public MetricSuite(IEnumerable<IUtilityMetric> metrics, ILogger<MetricSuite>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Metrics = metrics.ToList();
        if (Metrics.Count == 0)
        {
            throw new ArgumentException("A suite needs at least one metric.", nameof(metrics));
        }

        if (Metrics.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1) is { } dup)
        {
            throw new ArgumentException($"Metric '{dup.Key}' is in the suite twice.", nameof(metrics));
        }

        _logger = logger ?? NullLogger<MetricSuite>.Instance;
    }

    /// <summary>The metrics, in run order.</summary>
    public IReadOnlyList<IUtilityMetric> Metrics { get; }

    /// <summary>Every metric with its defaults: fidelity, utility and privacy.</summary>
    public static MetricSuite CreateDefault(ILogger<MetricSuite>? logger = null) => new(
    [
        new DimensionWiseDistributionMetric(),
        new CovarianceResamplingMetric(),
        new CooccurrenceMetric(),
        new RecordLengthMetric(),
        new ValidityDiversityMetric(),
        new DimensionWisePredictionMetric(),
        new ExactCopyMetric(),
        new DistanceToClosestRecordMetric(),
        new MembershipInferenceMetric(),
        new AttributeInferenceMetric(),
        new NnaarMetric(),
    ], logger);

    /// <summary>The metrics that need no training data (fidelity only).</summary>
    public static MetricSuite CreateFidelity(ILogger<MetricSuite>? logger = null) => new(
    [
        new DimensionWiseDistributionMetric(),
        new CovarianceResamplingMetric(),
        new CooccurrenceMetric(),
        new RecordLengthMetric(),
        new ValidityDiversityMetric(),
    ], logger);

    /// <summary>Runs every metric on one synthetic dataset.</summary>
    /// <param name="name">Row name.</param>
    /// <param name="kind">Row kind.</param>
    /// <param name="real">Real reference data (the holdout when <paramref name="context"/> has training data).</param>
    /// <param name="synthetic">The data to judge.</param>
    /// <param name="context">Training data, seed, generator report.</param>
    /// <param name="progress">Receives one report per metric.</param>
    /// <param name="cancellationToken">Checked between and inside metrics.</param>
    public SuiteRow Evaluate(string name, RowKind kind, EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, IProgress<MetricProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Evaluate(name, kind, real, synthetic, context ?? new EvaluationContext(), progress, 0, Metrics.Count, cancellationToken);

    /// <summary>
    /// Compares synthetic datasets against a holdout: a floor row (independent marginals fitted on
    /// <paramref name="train"/>), the pairwise reference row (a Chow–Liu tree fitted on it without noise), one row per
    /// model, and a ceiling row (as many real training patients as the holdout
    /// has, judged against the holdout).
    /// </summary>
    /// <exception cref="ArgumentException">The training or holdout data is empty.</exception>
    public SuiteReport Compare(EhrDataset train, EhrDataset holdout, IEnumerable<SyntheticSet> models, ComparisonOptions? options = null, IProgress<MetricProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(holdout);
        ArgumentNullException.ThrowIfNull(models);
        if (train.PatientCount == 0 || holdout.PatientCount == 0)
        {
            throw new ArgumentException("The training and holdout data must not be empty.");
        }

        options ??= new ComparisonOptions();
        var sets = new List<(string Name, RowKind Kind, EhrDataset Data, Generation.GenerationReport? Report)>();
        if (options.IncludeFloor)
        {
            var floor = IndependentMarginalsGenerator.Sample(train, options.FloorSize ?? train.PatientCount, options.Seed, cancellationToken);
            sets.Add(("Independent marginals", RowKind.Floor, floor, null));
        }

        if (options.IncludePairwiseReference)
        {
            var tree = PairwiseTreeReference.Sample(train, options.FloorSize ?? train.PatientCount, options.Seed + 2, cancellationToken);
            sets.Add((PairwiseTreeReference.RowName, RowKind.Reference, tree, null));
        }

        sets.AddRange(models.Select(m => (m.Name, RowKind.Model, m.Data, m.Report)));
        if (options.IncludeCeiling)
        {
            sets.Add(("Real train", RowKind.Ceiling, train.Sample(Math.Min(holdout.PatientCount, train.PatientCount), options.Seed), null));
        }

        var rows = new List<SuiteRow>();
        int total = sets.Count * Metrics.Count;
        foreach (var (name, kind, data, report) in sets)
        {
            var context = new EvaluationContext
            {
                Train = train,
                Seed = options.Seed,
                Generation = report,
                FailOnUnknownCodes = options.FailOnUnknownCodes,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
                MaxMatrixBytes = options.MaxMatrixBytes,
            };
            rows.Add(Evaluate(name, kind, holdout, data, context, progress, rows.Count * Metrics.Count, total, cancellationToken));
        }

        return new SuiteReport(rows);
    }

    private SuiteRow Evaluate(string name, RowKind kind, EhrDataset real, EhrDataset synthetic, EvaluationContext context, IProgress<MetricProgress>? progress, int done, int total, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var watch = Stopwatch.StartNew();
        var results = new List<MetricResult>(Metrics.Count);
        foreach (var metric in Metrics)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(new MetricProgress(name, metric.Name, done++, total));
            var t = Stopwatch.GetTimestamp();
            results.Add(metric.Evaluate(real, synthetic, context, ct));
            Log.MetricEvaluated(_logger, name, metric.Name, Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        progress?.Report(new MetricProgress(name, "", done, total));
        return new SuiteRow(name, kind, results, watch.Elapsed);
    }
}
