using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Kernels;

namespace EhrSynth.Generators.Metrics.Fidelity;

/// <summary>
/// Code-pair co-occurrence: HALO's per-record bigram score and the full covariance error.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>bigram_r2</c> (headline)</term><description>For every unordered pair of distinct codes, the fraction of records that have both. Over the union of pairs seen in either dataset (a missing pair counts 0), <c>r2_score(real, synthetic)</c> — HALO's <c>evaluate_datasets.py</c>. At most 1, can be negative; higher is better.</description></item>
/// <item><term><c>covariance_mae</c></term><description>Mean absolute difference of the full D × D covariance matrices (<c>E[XY] − E[X]E[Y]</c>). Lower is better.</description></item>
/// <item><term><c>pairs_real</c>, <c>pairs_synthetic</c></term><description>Distinct co-occurring pairs in each dataset.</description></item>
/// </list>
/// Series <c>bigram</c>: x = real, y = synthetic pair probability, for the union of pairs.
/// </remarks>
public sealed class CooccurrenceMetric : IUtilityMetric
{
    /// <inheritdoc />
    public string Name => "Co-occurrence";

    /// <inheritdoc />
    public MetricDirection Direction => MetricDirection.HigherIsBetter;

    /// <inheritdoc />
    /// <remarks>Memory grows with the pairs that occur, not D² (<see cref="PairStatistics"/>); the covariance error is exact (<see cref="SparseCovariance"/>).</remarks>
    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        var input = MetricInputs.Prepare(Name, real, synthetic, context);
        int dop = input.Parallelism;
        var sr = PairStatistics.Of(input.Real, dop, cancellationToken, input.Context.MaxMatrixBytes);
        var ss = PairStatistics.Of(input.Synthetic, dop, cancellationToken, input.Context.MaxMatrixBytes);
        return FromStatistics(sr, ss, dop, input.Notes);
    }

    /// <summary>The metric from the datasets' statistics (which may be merged from parts of each dataset).</summary>
    internal MetricResult FromStatistics(PairStatistics real, PairStatistics synthetic, int dop, IEnumerable<string> inputNotes)
    {
        double nr = real.Patients, ns = synthetic.Patients;
        var xr = new List<double>();
        var xs = new List<double>();

        // The union of the pairs seen on either side, in row-major (i, j) order.
        int a = 0, b = 0;
        while (a < real.Keys.Length || b < synthetic.Keys.Length)
        {
            long ka = a < real.Keys.Length ? real.Keys[a] : long.MaxValue, kb = b < synthetic.Keys.Length ? synthetic.Keys[b] : long.MaxValue;
            long key = Math.Min(ka, kb);
            xr.Add(ka == key ? real.Pairs[a++] / nr : 0);
            xs.Add(kb == key ? synthetic.Pairs[b++] / ns : 0);
        }

        double d = real.CodeCount;
        double covMae = SparseCovariance.SumAbsoluteDifference(real, synthetic, dop) / (d * d);
        var notes = inputNotes.ToList();
        if (xr.Count == 0)
        {
            notes.Add("No pair of codes co-occurs in either dataset; the bigram score is undefined.");
        }

        return new MetricResult(Name,
        [
            new("bigram_r2", xr.Count == 0 ? double.NaN : Stats.RSquared(xr, xs), MetricDirection.HigherIsBetter, "R² of code-pair probabilities, real as truth (HALO)"),
            new("covariance_mae", covMae, MetricDirection.LowerIsBetter, "mean |C_real − C_synthetic| over the full matrix"),
            new("pairs_real", real.Keys.Length, MetricDirection.Descriptive, "distinct co-occurring pairs, real"),
            new("pairs_synthetic", synthetic.Keys.Length, MetricDirection.Descriptive, "distinct co-occurring pairs, synthetic"),
        ],
        [new MetricSeries("bigram", xr, xs)],
        notes);
    }
}
