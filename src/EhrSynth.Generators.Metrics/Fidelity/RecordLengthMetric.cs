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
        var lr = input.Real.CodesPerPatient();
        var ls = input.Synthetic.CodesPerPatient();
        int max = Math.Max(lr.Max(), ls.Max());
        var hr = Stats.Histogram(lr, max);
        var hs = Stats.Histogram(ls, max);
        var x = Enumerable.Range(0, max + 1).Select(k => (double)k).ToArray();
        return new MetricResult(Name,
        [
            new("wasserstein", Stats.Wasserstein1(hr, hs), MetricDirection.LowerIsBetter, "Wasserstein-1 distance of codes per record"),
            new("tv_distance", Stats.TotalVariation(hr, hs), MetricDirection.LowerIsBetter, "total variation distance of codes per record"),
            new("mean_real", lr.Average(), MetricDirection.Descriptive, "mean codes per record, real"),
            new("mean_synthetic", ls.Average(), MetricDirection.Descriptive, "mean codes per record, synthetic"),
            new("max_synthetic", ls.Max(), MetricDirection.Descriptive, "most codes in one synthetic record"),
        ],
        [new MetricSeries("length_real", x, hr), new MetricSeries("length_synthetic", x, hs)],
        input.Notes);
    }
}
