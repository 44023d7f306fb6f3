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
    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        var input = MetricInputs.Prepare(Name, real, synthetic, context);
        int d = input.Real.CodeCount;
        input.RequireMatrixMemory(Name, 4 * (2 + input.Parallelism));                                  // two count matrices (and per-thread partials)
        int dop = input.Parallelism;
        var cr = Cooccurrence.Counts(input.Real, dop);
        cancellationToken.ThrowIfCancellationRequested();
        var cs = Cooccurrence.Counts(input.Synthetic, dop);
        double nr = input.Real.PatientCount, ns = input.Synthetic.PatientCount;
        var xr = new List<double>();
        var xs = new List<double>();
        int pairsReal = 0, pairsSyn = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i + 1; j < d; j++)
            {
                int a = cr[(i * d) + j], b = cs[(i * d) + j];
                pairsReal += a > 0 ? 1 : 0;
                pairsSyn += b > 0 ? 1 : 0;
                if (a > 0 || b > 0)
                {
                    xr.Add(a / nr);
                    xs.Add(b / ns);
                }
            }
        }

        double covMae = CovarianceMae(cr, cs, nr, ns, d);
        var notes = input.Notes.ToList();
        if (xr.Count == 0)
        {
            notes.Add("No pair of codes co-occurs in either dataset; the bigram score is undefined.");
        }

        return new MetricResult(Name,
        [
            new("bigram_r2", xr.Count == 0 ? double.NaN : Stats.RSquared(xr, xs), MetricDirection.HigherIsBetter, "R² of code-pair probabilities, real as truth (HALO)"),
            new("covariance_mae", covMae, MetricDirection.LowerIsBetter, "mean |C_real − C_synthetic| over the full matrix"),
            new("pairs_real", pairsReal, MetricDirection.Descriptive, "distinct co-occurring pairs, real"),
            new("pairs_synthetic", pairsSyn, MetricDirection.Descriptive, "distinct co-occurring pairs, synthetic"),
        ],
        [new MetricSeries("bigram", xr, xs)],
        notes);
    }

    private static double CovarianceMae(int[] cr, int[] cs, double nr, double ns, int d)
    {
        double sum = 0;
        for (int i = 0; i < d; i++)
        {
            double pri = cr[(i * d) + i] / nr, psi = cs[(i * d) + i] / ns;
            for (int j = 0; j < d; j++)
            {
                double covR = (cr[(i * d) + j] / nr) - (pri * cr[(j * d) + j] / nr);
                double covS = (cs[(i * d) + j] / ns) - (psi * cs[(j * d) + j] / ns);
                sum += Math.Abs(covR - covS);
            }
        }

        return sum / ((double)d * d);
    }
}
