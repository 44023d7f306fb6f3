using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Kernels;

namespace EhrSynth.Generators.Metrics.Privacy;

/// <summary>
/// Distance to closest record (DCR): for each synthetic record, the Hamming distance (size of the symmetric
/// difference of code sets) to the nearest training record; and the same for real holdout records, the baseline of
/// unseen patients. Synthetic records that sit closer to the training data than unseen real patients do are a sign of
/// memorisation. Needs <see cref="EvaluationContext.Train"/>.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>dcr_mean_ratio</c> (headline)</term><description>mean DCR(synthetic → train) ÷ mean DCR(holdout → train). 1 is ideal: below 1 the synthetic data is closer to train than unseen patients are; above 1 it is farther (safer, less faithful).</description></item>
/// <item><term><c>dcr_mean_synthetic</c>, <c>dcr_mean_holdout</c>, <c>dcr_median_*</c>, <c>dcr_zero_*</c></term><description>Means, medians, and the share at distance 0.</description></item>
/// </list>
/// At most <see cref="MaxQueries"/> records per side and <see cref="MaxReferences"/> training records are used (seeded
/// samples), which keeps the exact search under two seconds at 10,000 × 10,000 × 1,071.
/// Series <c>dcr_synthetic</c> and <c>dcr_holdout</c>: the distances, for histograms.
/// </remarks>
public sealed class DistanceToClosestRecordMetric : IUtilityMetric
{
    /// <summary>Query records per side, at most. The default value is 10,000.</summary>
    public int MaxQueries { get; init; } = 10_000;

    /// <summary>Training records searched, at most. The default value is 10,000.</summary>
    public int MaxReferences { get; init; } = 10_000;

    /// <inheritdoc />
    public string Name => "Distance to closest record";

    /// <inheritdoc />
    public MetricDirection Direction => MetricDirection.CloserToTargetIsBetter;

    /// <inheritdoc />
    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        var input = MetricInputs.Prepare(Name, real, synthetic, context, needsTrain: true);
        int seed = input.Context.Seed;
        var reference = MetricInputs.Cap(input.Train!, MaxReferences, seed);
        var syn = MetricInputs.Cap(input.Synthetic, MaxQueries, seed + 1);
        var hold = MetricInputs.Cap(input.Real, MaxQueries, seed + 2);
        var ds = HammingNearestNeighbors.Search(syn, reference, false, input.Parallelism, cancellationToken).Distance.Select(d => (double)d).ToArray();
        var dh = HammingNearestNeighbors.Search(hold, reference, false, input.Parallelism, cancellationToken).Distance.Select(d => (double)d).ToArray();
        double ms = ds.Average(), mh = dh.Average();
        return new MetricResult(Name,
        [
            new("dcr_mean_ratio", mh == 0 ? double.NaN : ms / mh, MetricDirection.CloserToTargetIsBetter, "mean DCR synthetic ÷ holdout (below 1: closer to train than unseen patients)", 1.0),
            new("dcr_mean_synthetic", ms, MetricDirection.Descriptive, "mean Hamming distance, synthetic → train"),
            new("dcr_mean_holdout", mh, MetricDirection.Descriptive, "mean Hamming distance, holdout → train"),
            new("dcr_median_synthetic", Stats.Median(ds), MetricDirection.Descriptive, "median DCR, synthetic"),
            new("dcr_median_holdout", Stats.Median(dh), MetricDirection.Descriptive, "median DCR, holdout"),
            new("dcr_zero_synthetic", ds.Count(d => d == 0) / (double)ds.Length, MetricDirection.LowerIsBetter, "share of synthetic records at distance 0"),
            new("dcr_zero_holdout", dh.Count(d => d == 0) / (double)dh.Length, MetricDirection.Descriptive, "share of holdout records at distance 0"),
        ],
        [new MetricSeries("dcr_synthetic", [], ds), new MetricSeries("dcr_holdout", [], dh)],
        input.Notes);
    }
}
