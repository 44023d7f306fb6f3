using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Kernels;

namespace EhrSynth.Generators.Metrics.Fidelity;

/// <summary>
/// The distribution of codes per record, real against synthetic.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>wasserstein</c> (headline)</term><description>Wasserstein-1 (earth mover's) distance between the two length distributions, in codes: Σ_k |F_real(k) − F_syn(k)|. 0 is ideal.</description></item>
/// <item><term><c>tv_distance</c></term><description>Total variation distance ½ Σ_k |p_real(k) − p_syn(k)|, in [0, 1].</description></item>
/// <item><term><c>mean_real</c>, <c>mean_synthetic</c>, <c>max_synthetic</c></term><description>Mean and maximum codes per record.</description></item>
/// </list>
/// Series <c>length_real</c> and <c>length_synthetic</c>: x = codes per record, y = share of records.
/// </remarks>
public sealed class RecordLengthMetric : IUtilityMetric
{
    /// <inheritdoc />
    public string Name => "Record length";

    /// <inheritdoc />
    public MetricDirection Direction => MetricDirection.LowerIsBetter;

    /// <inheritdoc />
    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        var input = MetricInputs.Prepare(Name, real, synthetic, context);
        return FromCounts(LengthCounts(input.Real), LengthCounts(input.Synthetic), input.Notes);
    }

    /// <summary>How many records have each number of codes (index = codes).</summary>
    internal static long[] LengthCounts(EhrDataset data)
    {
        var lengths = data.CodesPerPatient();
        var counts = new long[lengths.Length == 0 ? 1 : lengths.Max() + 1];
        foreach (int k in lengths)
        {
            counts[k]++;
        }

        return counts;
    }

    /// <summary>The counts of two sets of records merged (index = codes).</summary>
    internal static long[] MergeCounts(long[] a, long[] b)
    {
        var merged = new long[Math.Max(a.Length, b.Length)];
        for (int k = 0; k < merged.Length; k++)
        {
            merged[k] = (k < a.Length ? a[k] : 0) + (k < b.Length ? b[k] : 0);
        }

        return merged;
    }

    /// <summary>The metric from each side's counts of records per length.</summary>
    internal MetricResult FromCounts(long[] real, long[] synthetic, IEnumerable<string> notes)
    {
        int max = Math.Max(Top(real), Top(synthetic));
        var hr = Shares(real, max);
        var hs = Shares(synthetic, max);
        var x = Enumerable.Range(0, max + 1).Select(k => (double)k).ToArray();
        return new MetricResult(Name,
        [
            new("wasserstein", Stats.Wasserstein1(hr, hs), MetricDirection.LowerIsBetter, "Wasserstein-1 distance of codes per record"),
            new("tv_distance", Stats.TotalVariation(hr, hs), MetricDirection.LowerIsBetter, "total variation distance of codes per record"),
            new("mean_real", Mean(real), MetricDirection.Descriptive, "mean codes per record, real"),
            new("mean_synthetic", Mean(synthetic), MetricDirection.Descriptive, "mean codes per record, synthetic"),
            new("max_synthetic", Top(synthetic), MetricDirection.Descriptive, "most codes in one synthetic record"),
        ],
        [new MetricSeries("length_real", x, hr), new MetricSeries("length_synthetic", x, hs)],
        [.. notes]);
    }

    private static int Top(long[] counts) => Array.FindLastIndex(counts, c => c > 0) is var top and >= 0 ? top : 0;

    private static double[] Shares(long[] counts, int max)
    {
        long total = counts.Sum();
        var shares = new double[max + 1];
        for (int k = 0; k < shares.Length && k < counts.Length; k++)
        {
            shares[k] = counts[k] / (double)Math.Max(1, total);
        }

        return shares;
    }

    private static double Mean(long[] counts)
    {
        long total = 0, sum = 0;
        for (int k = 0; k < counts.Length; k++)
        {
            (total, sum) = (total + counts[k], sum + (k * counts[k]));
        }

        return (double)sum / total;
    }
}
