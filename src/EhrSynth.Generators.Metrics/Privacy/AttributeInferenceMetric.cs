using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Kernels;

namespace EhrSynth.Generators.Metrics.Privacy;

/// <summary>
/// HALO's attribute-inference attack: an attacker knows a training patient's <see cref="KnownCodes"/> most common codes
/// (present or absent) and looks up the nearest synthetic record on those codes (k = 1, Hamming distance); the
/// neighbour's other codes are the guess for the patient's other codes. The baseline does the same with the real
/// holdout as the lookup table: what an attacker learns from any real data of the population. Needs
/// <see cref="EvaluationContext.Train"/>.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>f1</c> (headline)</term><description>Micro-averaged F1 of the guessed unknown codes against the truth, over the attacked patients. Compare with <c>f1_holdout_baseline</c>: higher than the baseline means the synthetic data leaks more about training patients than unseen real data would. Lower is better.</description></item>
/// <item><term><c>f1_holdout_baseline</c></term><description>The same attack using the holdout as the lookup table.</description></item>
/// </list>
/// </remarks>
public sealed class AttributeInferenceMetric : IUtilityMetric
{
    /// <summary>Codes the attacker knows: the most prevalent in train. The default value is 100 (HALO).</summary>
    public int KnownCodes { get; init; } = 100;

    /// <summary>Patients attacked, at most. The default value is 7,500.</summary>
    public int AttackSize { get; init; } = 7_500;

    /// <summary>Records in each lookup table, at most. The default value is 10,000.</summary>
    public int MaxReferences { get; init; } = 10_000;

    /// <inheritdoc />
    public string Name => "Attribute inference";

    /// <inheritdoc />
    public MetricDirection Direction => MetricDirection.LowerIsBetter;

    /// <inheritdoc />
    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        var input = MetricInputs.Prepare(Name, real, synthetic, context, needsTrain: true);
        int seed = input.Context.Seed;
        var prevalence = input.Train!.CodePrevalence();
        int k = Math.Min(KnownCodes, prevalence.Length - 1);
        var known = Enumerable.Range(0, prevalence.Length).OrderByDescending(c => prevalence[c]).ThenBy(c => c).Take(k).ToArray();
        var knownIndex = Enumerable.Repeat(-1, prevalence.Length).ToArray();
        for (int i = 0; i < known.Length; i++)
        {
            knownIndex[known[i]] = i;
        }

        var targets = MetricInputs.Cap(input.Train, AttackSize, seed);
        var syn = MetricInputs.Cap(input.Synthetic, MaxReferences, seed + 1);
        var hold = MetricInputs.Cap(input.Real, MaxReferences, seed + 2);
        double f1 = Attack(targets, syn, knownIndex, input.Parallelism, cancellationToken);
        double baseline = Attack(targets, hold, knownIndex, input.Parallelism, cancellationToken);
        return new MetricResult(Name,
        [
            new("f1", f1, MetricDirection.LowerIsBetter, $"F1 of inferred codes from {k} known ones, via synthetic data"),
            new("f1_holdout_baseline", baseline, MetricDirection.Descriptive, "the same attack via real holdout data (baseline)"),
            new("f1_excess", f1 - baseline, MetricDirection.LowerIsBetter, "F1 − baseline (≤ 0: no more than unseen real data reveals)"),
        ],
        notes: input.Notes);
    }

    private static double Attack(EhrDataset targets, EhrDataset lookup, int[] knownIndex, int dop, CancellationToken ct)
    {
        var nearest = HammingNearestNeighbors.Search(Project(targets, knownIndex), Project(lookup, knownIndex), false, dop, ct).Index;
        long tp = 0, fp = 0, fn = 0;
        for (int t = 0; t < targets.PatientCount; t++)
        {
            var truth = targets.GetCodes(t);
            var guess = lookup.GetCodes(nearest[t]);
            int i = 0, j = 0;
            while (i < truth.Length || j < guess.Length)
            {
                int a = i < truth.Length ? truth[i] : int.MaxValue;
                int b = j < guess.Length ? guess[j] : int.MaxValue;
                if (a == b)
                {
                    tp += knownIndex[a] < 0 ? 1 : 0;
                    i++;
                    j++;
                }
                else if (a < b)
                {
                    fn += knownIndex[a] < 0 ? 1 : 0;
                    i++;
                }
                else
                {
                    fp += knownIndex[b] < 0 ? 1 : 0;
                    j++;
                }
            }
        }

        return Stats.F1(tp, fp, fn);
    }

    /// <summary>The records restricted to the known codes (other codes dropped).</summary>
    private static EhrDataset Project(EhrDataset data, int[] knownIndex)
    {
        var known = new CodeVocabulary(Enumerable.Range(0, knownIndex.Length).Where(c => knownIndex[c] >= 0).Select(c => data.Vocabulary[c]));
        return data.AlignTo(known);
    }
}
