using System.Globalization;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Kernels;

namespace EhrSynth.Generators.Metrics.Fidelity;

/// <summary>
/// The paper's Fig. 2: split real and synthetic patients at random into <see cref="Groups"/> groups each, compute
/// each group's covariance matrix <c>C_ij = E[X_i X_j] − E[X_i] E[X_j]</c>, and take the mean absolute error between
/// every pair of matrices: real–real (45 pairs for 10 groups), synthetic–synthetic (45) and cross (100).
/// </summary>
/// <remarks>
/// <para>Both sides are first subsampled to the smaller size (the comparison is only fair at equal sizes; the result
/// says so). The three MAE distributions are returned as series for histograms.</para>
/// <para><b>Why the cross/real ratio alone misleads.</b> Sparse output has small covariances, so MAE_syn is tiny and
/// MAE_cross is dominated by the real side's own noise: a thresholded VAE and an all-zero output both score a cross/real
/// ratio near 1. The headline therefore judges all three histograms at once:</para>
/// <list type="table">
/// <item><term><c>overlap_ks</c> (headline)</term><description>max(KS(MAE_syn, MAE_real), KS(MAE_cross, MAE_real)), the larger two-sample Kolmogorov–Smirnov statistic. In [0, 1]; 0 only when all three histograms coincide; lower is better. An all-empty output scores 1.</description></item>
/// <item><term><c>syn_over_real</c>, <c>cross_over_real</c></term><description>mean MAE_syn / mean MAE_real and mean MAE_cross / mean MAE_real; 1 is ideal.</description></item>
/// <item><term><c>normalized_cov_error</c></term><description>Full-matrix covariance MAE between the (size-matched) real and synthetic sets ÷ mean |C_real|. 1.0 for an output that emits nothing; lower is better.</description></item>
/// </list>
/// </remarks>
public sealed class CovarianceResamplingMetric : IUtilityMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="groups">Groups per side. The default value is 10 (the paper).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="groups"/> is below 2.</exception>
    public CovarianceResamplingMetric(int groups = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 2);
        Groups = groups;
    }

    /// <summary>Groups per side.</summary>
    public int Groups { get; }

    /// <inheritdoc />
    public string Name => "Covariance resampling";

    /// <inheritdoc />
    public MetricDirection Direction => MetricDirection.LowerIsBetter;

    /// <inheritdoc />
    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        var input = MetricInputs.Prepare(Name, real, synthetic, context);
        var notes = input.Notes.ToList();
        int n = Math.Min(input.Real.PatientCount, input.Synthetic.PatientCount);
        if (Groups > n)
        {
            return MetricResult.NotComputed(Name, $"{Groups} groups need at least {Groups} patients per side; the smaller side has {n}");
        }

        int seed = input.Context.Seed;
        var r = MetricInputs.Cap(input.Real, n, seed);
        var s = MetricInputs.Cap(input.Synthetic, n, seed + 1);
        if (input.Real.PatientCount != input.Synthetic.PatientCount)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Sizes matched: real {input.Real.PatientCount} and synthetic {input.Synthetic.PatientCount} patients were subsampled to {n} each."));
        }

        int dop = input.Parallelism;
        long limit = input.Context.MaxMatrixBytes;
        var realGroups = GroupStatistics(r, seed + 2, dop, cancellationToken, limit);
        var synGroups = GroupStatistics(s, seed + 3, dop, cancellationToken, limit);
        var fullReal = PairStatistics.Of(r, dop, cancellationToken, limit);
        var fullSyn = PairStatistics.Of(s, dop, cancellationToken, limit);
        return FromStatistics(realGroups, synGroups, fullReal, fullSyn, n, dop, notes, cancellationToken);
    }

    /// <summary>
    /// The metric from the size-matched sides' statistics: each side's <see cref="Groups"/> groups (drawn by a seeded
    /// permutation of the size-matched patients) and the whole of each side.
    /// </summary>
    internal MetricResult FromStatistics(PairStatistics[] realGroups, PairStatistics[] synGroups, PairStatistics fullReal, PairStatistics fullSyn, int n, int dop, List<string> notes, CancellationToken cancellationToken)
    {
        double cells = (double)fullReal.CodeCount * fullReal.CodeCount;
        var maeReal = PairwiseWithin(realGroups, cells, dop);
        var maeSyn = PairwiseWithin(synGroups, cells, dop);
        var maeCross = new List<double>(Groups * Groups);
        foreach (var a in realGroups)
        {
            foreach (var b in synGroups)
            {
                cancellationToken.ThrowIfCancellationRequested();
                maeCross.Add(SparseCovariance.SumAbsoluteDifference(a, b, dop) / cells);
            }
        }

        double absReal = SparseCovariance.SumAbsolute(fullReal);
        double normalized = absReal == 0 ? double.NaN : SparseCovariance.SumAbsoluteDifference(fullReal, fullSyn, dop) / absReal;

        double mr = maeReal.Average(), ms = maeSyn.Average(), mc = maeCross.Average();
        double overlap = Math.Max(Stats.KolmogorovSmirnov(maeSyn, maeReal), Stats.KolmogorovSmirnov(maeCross, maeReal));
        return new MetricResult(Name,
        [
            new("overlap_ks", overlap, MetricDirection.LowerIsBetter, "max KS of MAE_syn and MAE_cross vs MAE_real (0 = histograms coincide)"),
            new("mae_real", mr, MetricDirection.Descriptive, "mean MAE between real groups"),
            new("mae_syn", ms, MetricDirection.Descriptive, "mean MAE between synthetic groups"),
            new("mae_cross", mc, MetricDirection.Descriptive, "mean MAE between real and synthetic groups"),
            new("syn_over_real", ms / mr, MetricDirection.CloserToTargetIsBetter, "MAE_syn / MAE_real", 1.0),
            new("cross_over_real", mc / mr, MetricDirection.CloserToTargetIsBetter, "MAE_cross / MAE_real (paper Fig. 2)", 1.0),
            new("normalized_cov_error", normalized, MetricDirection.LowerIsBetter, "full covariance MAE ÷ mean |C_real| (1 = emitting nothing)"),
            new("group_size", n / Groups, MetricDirection.Descriptive, "patients per group"),
        ],
        [new MetricSeries("mae_real", [], maeReal), new MetricSeries("mae_syn", [], maeSyn), new MetricSeries("mae_cross", [], maeCross)],
        notes);
    }

    /// <summary>Each group's pair statistics, the groups drawn by a seeded permutation of the patients.</summary>
    internal PairStatistics[] GroupStatistics(EhrDataset data, int seed, int dop, CancellationToken ct, long maxBytes = 2L << 30)
    {
        var order = EhrDataset.Permutation(data.PatientCount, seed);
        var result = new PairStatistics[Groups];
        for (int g = 0; g < Groups; g++)
        {
            ct.ThrowIfCancellationRequested();
            int start = (int)((long)order.Length * g / Groups), end = (int)((long)order.Length * (g + 1) / Groups);
            result[g] = PairStatistics.Of(data.Subset(order.AsSpan(start, end - start)), dop, ct, maxBytes);
        }

        return result;
    }

    private static List<double> PairwiseWithin(PairStatistics[] groups, double cells, int dop)
    {
        var list = new List<double>();
        for (int a = 0; a < groups.Length; a++)
        {
            for (int b = a + 1; b < groups.Length; b++)
            {
                list.Add(SparseCovariance.SumAbsoluteDifference(groups[a], groups[b], dop) / cells);
            }
        }

        return list;
    }
}
