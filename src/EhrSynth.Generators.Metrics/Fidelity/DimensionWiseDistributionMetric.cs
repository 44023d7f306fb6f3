using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Kernels;

namespace EhrSynth.Generators.Metrics.Fidelity;

/// <summary>
/// The paper's Fig. 1: per-code prevalence (the column mean) in real and synthetic data, compared code by code.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>pearson</c> (headline)</term><description>Pearson r of the two prevalence vectors — the paper's number. In [−1, 1], higher is better. Nearly blind to structure: independent per-code sampling scores 0.9999 on UCI Diabetes.</description></item>
/// <item><term><c>spearman</c></term><description>Spearman ρ (average ranks for ties). Sensitive to the long tail of rare codes.</description></item>
/// <item><term><c>r2</c></term><description>HALO's score: <c>r2_score(real, synthetic)</c>, i.e. 1 − Σ(p_r − p_s)² / Σ(p_r − mean p_r)². At most 1, can be negative.</description></item>
/// <item><term><c>mae</c>, <c>mae_common</c>, <c>mae_uncommon</c>, <c>mae_rare</c></term><description>Mean |p_r − p_s| over all codes, and over codes whose real prevalence is ≥ 1 %, 0.1–1 %, &lt; 0.1 % (NaN for an empty bin). Lower is better.</description></item>
/// <item><term><c>never_generated</c></term><description>Codes present in the real data that no synthetic record has. Lower is better.</description></item>
/// </list>
/// A constant prevalence vector (for example an all-empty output) makes both correlations undefined: they are NaN
/// and the result says why. Series <c>prevalence</c>: x = real, y = synthetic, one point per code.
/// </remarks>
public sealed class DimensionWiseDistributionMetric : IUtilityMetric
{
    /// <inheritdoc />
    public string Name => "Dimension-wise distribution";

    /// <inheritdoc />
    public MetricDirection Direction => MetricDirection.HigherIsBetter;

    /// <inheritdoc />
    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        var input = MetricInputs.Prepare(Name, real, synthetic, context);
        return FromPrevalences(input.Real.CodePrevalence(), input.Synthetic.CodePrevalence(), input.Notes);
    }

    /// <summary>The metric from the two sides' per-code prevalences (count ÷ patients, as <see cref="EhrDataset.CodePrevalence"/>).</summary>
    internal MetricResult FromPrevalences(double[] pr, double[] ps, IEnumerable<string> inputNotes)
    {
        var notes = inputNotes.ToList();
        double pearson = Stats.Pearson(pr, ps);
        double spearman = Stats.Spearman(pr, ps);
        if (double.IsNaN(pearson))
        {
            notes.Add("Correlations are undefined because a prevalence vector is constant (for example an output with no codes at all).");
        }

        int never = 0;
        double sum = 0;
        var bins = new (double Sum, int Count)[3];
        for (int c = 0; c < pr.Length; c++)
        {
            double err = Math.Abs(pr[c] - ps[c]);
            sum += err;
            int bin = pr[c] >= 0.01 ? 0 : pr[c] >= 0.001 ? 1 : 2;
            bins[bin] = (bins[bin].Sum + err, bins[bin].Count + 1);
            if (pr[c] > 0 && ps[c] == 0)
            {
                never++;
            }
        }

        int present = pr.Count(p => p > 0);
        double BinMae(int b) => bins[b].Count == 0 ? double.NaN : bins[b].Sum / bins[b].Count;
        return new MetricResult(Name,
        [
            new("pearson", pearson, MetricDirection.HigherIsBetter, "Pearson r of per-code prevalence (paper Fig. 1)"),
            new("spearman", spearman, MetricDirection.HigherIsBetter, "Spearman ρ of per-code prevalence"),
            new("r2", Stats.RSquared(pr, ps), MetricDirection.HigherIsBetter, "R² of prevalence, real as truth (HALO)"),
            new("mae", sum / pr.Length, MetricDirection.LowerIsBetter, "mean |prevalence error|"),
            new("mae_common", BinMae(0), MetricDirection.LowerIsBetter, "mean |prevalence error|, codes ≥ 1 %"),
            new("mae_uncommon", BinMae(1), MetricDirection.LowerIsBetter, "mean |prevalence error|, codes 0.1–1 %"),
            new("mae_rare", BinMae(2), MetricDirection.LowerIsBetter, "mean |prevalence error|, codes < 0.1 %"),
            new("never_generated", never, MetricDirection.LowerIsBetter, $"real codes never generated (of {present})"),
        ],
        [new MetricSeries("prevalence", pr, ps)],
        notes);
    }
}
