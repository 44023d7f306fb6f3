using System.Globalization;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Fidelity;
using EhrSynth.Generators.Metrics.Kernels;

namespace EhrSynth.Generators.Metrics;

/// <summary>
/// The fidelity metrics of synthetic data held in parts (shards, one file each), without loading it whole: each part
/// is read, summarised and let go — per-code counts, the counts of the code pairs that occur, record lengths, and the
/// pair statistics of each resampling group — and the summaries merged. The results are those of the metrics on the
/// parts put together, digit for digit: the size matching and the resampling groups are drawn over the whole, from the
/// parts' sizes (a first pass reads only those).
/// </summary>
/// <remarks>
/// Covered: <see cref="DimensionWiseDistributionMetric"/>, <see cref="CovarianceResamplingMetric"/> (10 groups),
/// <see cref="CooccurrenceMetric"/> and <see cref="RecordLengthMetric"/>. The utility and privacy metrics need records
/// side by side (classifiers, nearest neighbours): evaluate a sample of the parts with the metric suite for those.
/// Memory: the real data, the parts one at a time, and statistics in proportion to the code pairs that occur.
/// </remarks>
public static class ShardedEvaluation
{
    /// <summary>The metrics evaluated.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = ["Dimension-wise distribution", "Covariance resampling", "Co-occurrence", "Record length"];

    /// <summary>The metrics of <paramref name="real"/> against the synthetic data made of <paramref name="parts"/>, in order.</summary>
    /// <param name="real">The real data (the holdout), in memory.</param>
    /// <param name="parts">Reads each part of the synthetic data (called twice per part: sizes, then statistics).</param>
    /// <param name="context">Seed and parallelism; the synthetic codes are aligned to the real vocabulary as by the metrics.</param>
    /// <param name="cancellationToken">Checked between parts.</param>
    /// <exception cref="ArgumentException">No parts, an empty side, or data that does not fit the real vocabulary.</exception>
    public static IReadOnlyList<MetricResult> Evaluate(EhrDataset real, IReadOnlyList<Func<EhrDataset>> parts, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("Sharded evaluation needs at least one part of synthetic data.", nameof(parts));
        }

        context ??= new EvaluationContext();
        int dop = Math.Max(1, context.MaxDegreeOfParallelism);
        int seed = context.Seed;

        // Pass 1: the parts' sizes, for the draws over the whole.
        var sizes = new long[parts.Count];
        for (int i = 0; i < parts.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sizes[i] = Part(parts, i, real, context, null).PatientCount;
        }

        long total = sizes.Sum();
        if (total == 0)
        {
            throw new ArgumentException("The synthetic dataset is empty.", nameof(parts));
        }

        if (total > int.MaxValue)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The parts hold {total:N0} patients, more than one evaluation draws over ({int.MaxValue:N0}); evaluate a subset of the parts."), nameof(parts));
        }

        // The covariance metric's draws, as it makes them on the whole: the size match, then the groups.
        var covariance = new CovarianceResamplingMetric();
        int n = (int)Math.Min(real.PatientCount, total);
        bool enoughForGroups = covariance.Groups <= n;
        int[]? kept = null;                                                          // sorted global indices of the size-matched synthetic patients
        int[] groupOf = [];                                                          // group of each size-matched position
        if (enoughForGroups)
        {
            if (total > n)
            {
                kept = EhrDataset.Permutation((int)total, seed + 1).AsSpan(0, n).ToArray();
                Array.Sort(kept);
            }

            var order = EhrDataset.Permutation(n, seed + 3);
            groupOf = new int[n];
            for (int g = 0; g < covariance.Groups; g++)
            {
                int start = (int)((long)n * g / covariance.Groups), end = (int)((long)n * (g + 1) / covariance.Groups);
                for (int k = start; k < end; k++)
                {
                    groupOf[order[k]] = g;
                }
            }
        }

        // Pass 2: statistics of every part, merged.
        var notes = new List<string>();
        PairStatistics? all = null, matched = null;
        var groups = new PairStatistics?[covariance.Groups];
        long[] lengths = [0];
        long offset = 0;
        int keptAt = 0;
        for (int i = 0; i < parts.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var part = Part(parts, i, real, context, notes);
            all = Merge(all, PairStatistics.Of(part, dop, cancellationToken, context.MaxMatrixBytes), context.MaxMatrixBytes);
            lengths = RecordLengthMetric.MergeCounts(lengths, RecordLengthMetric.LengthCounts(part));
            if (enoughForGroups)
            {
                // The size-matched patients of this part and their positions among all size-matched ones.
                var local = new List<int>();
                var position = new List<int>();
                for (int p = 0; p < part.PatientCount; p++)
                {
                    long global = offset + p;
                    if (kept is null)
                    {
                        local.Add(p);
                        position.Add((int)global);
                    }
                    else if (keptAt < kept.Length && kept[keptAt] == global)
                    {
                        local.Add(p);
                        position.Add(keptAt++);
                    }
                }

                matched = Merge(matched, PairStatistics.Of(part.Subset(local.ToArray()), dop, cancellationToken, context.MaxMatrixBytes), context.MaxMatrixBytes);
                for (int g = 0; g < groups.Length; g++)
                {
                    int[] members = [.. local.Where((_, k) => groupOf[position[k]] == g)];
                    groups[g] = Merge(groups[g], PairStatistics.Of(part.Subset(members), dop, cancellationToken, context.MaxMatrixBytes), context.MaxMatrixBytes);
                }
            }

            offset += part.PatientCount;
        }

        var results = new List<MetricResult>();
        var realStats = PairStatistics.Of(real, dop, cancellationToken, context.MaxMatrixBytes);
        var prevalence = all!.Counts.Select(c => (double)c / all.Patients).ToArray();
        results.Add(new DimensionWiseDistributionMetric().FromPrevalences(real.CodePrevalence(), prevalence, notes));
        if (!enoughForGroups)
        {
            results.Add(MetricResult.NotComputed(covariance.Name, $"{covariance.Groups} groups need at least {covariance.Groups} patients per side; the smaller side has {n}"));
        }
        else
        {
            var covNotes = notes.ToList();
            var r = real.PatientCount <= n ? real : real.Sample(n, seed);
            if (real.PatientCount != total)
            {
                covNotes.Add(string.Create(CultureInfo.InvariantCulture, $"Sizes matched: real {real.PatientCount} and synthetic {total} patients were subsampled to {n} each."));
            }

            var realGroups = covariance.GroupStatistics(r, seed + 2, dop, cancellationToken, context.MaxMatrixBytes);
            results.Add(covariance.FromStatistics(realGroups, [.. groups.Select(g => g!)], PairStatistics.Of(r, dop, cancellationToken, context.MaxMatrixBytes), matched!, n, dop, covNotes, cancellationToken));
        }

        results.Add(new CooccurrenceMetric().FromStatistics(realStats, all, dop, notes));
        results.Add(new RecordLengthMetric().FromCounts(RecordLengthMetric.LengthCounts(real), lengths, notes));
        return results;
    }

    private static EhrDataset Part(IReadOnlyList<Func<EhrDataset>> parts, int i, EhrDataset real, EvaluationContext context, List<string>? notes)
    {
        var part = parts[i]() ?? throw new ArgumentException($"Part {i + 1} of the synthetic data is null.", nameof(parts));
        var input = MetricInputs.Prepare($"Part {i + 1} of {parts.Count}", real, part.PatientCount == 0 ? real : part, context);
        if (part.PatientCount == 0)
        {
            return part.AlignTo(real.Vocabulary);
        }

        notes?.AddRange(input.Notes.Select(note => $"Part {i + 1}: {note}"));
        return input.Synthetic;
    }

    private static PairStatistics Merge(PairStatistics? a, PairStatistics b, long maxBytes) => a is null ? b : PairStatistics.Within(PairStatistics.Merge(a, b), maxBytes);
}
