using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Kernels;

namespace EhrSynth.Generators.Metrics.Privacy;

/// <summary>
/// HALO's distance membership-inference attack: take <see cref="AttackSize"/> training records (members) and as many
/// holdout records (non-members); score each by its Hamming distance to the nearest synthetic record; guess "member"
/// when the distance is below the median of all scores. Needs <see cref="EvaluationContext.Train"/>.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>accuracy</c> (headline)</term><description>Attack accuracy; 0.5 (a coin flip) is ideal, higher means the synthetic data reveals who was in the training set.</description></item>
/// <item><term><c>precision</c>, <c>recall</c>, <c>f1</c></term><description>For the "member" class.</description></item>
/// <item><term><c>auc</c></term><description>Threshold-free: the probability that a random member is closer to the synthetic data than a random non-member (ties count ½). 0.5 is ideal.</description></item>
/// </list>
/// On data with many identical short records most distances tie at the median, and HALO's strict "below the median"
/// rule then guesses "non-member" for all of them, which can hide a leak behind an accuracy of 0.5; <c>auc</c> does
/// not have that blind spot. At most <see cref="MaxSynthetic"/> synthetic records are searched.
/// </remarks>
public sealed class MembershipInferenceMetric : IUtilityMetric
{
    /// <summary>Members and non-members each, at most. The default value is 7,500 (HALO).</summary>
    public int AttackSize { get; init; } = 7_500;

    /// <summary>Synthetic records searched, at most. The default value is 10,000.</summary>
    public int MaxSynthetic { get; init; } = 10_000;

    /// <inheritdoc />
    public string Name => "Membership inference";

    /// <inheritdoc />
    public MetricDirection Direction => MetricDirection.CloserToTargetIsBetter;

    /// <inheritdoc />
    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        var input = MetricInputs.Prepare(Name, real, synthetic, context, needsTrain: true);
        int seed = input.Context.Seed;
        int m = Math.Min(AttackSize, Math.Min(input.Train!.PatientCount, input.Real.PatientCount));
        var members = MetricInputs.Cap(input.Train, m, seed);
        var nonMembers = MetricInputs.Cap(input.Real, m, seed + 1);
        var syn = MetricInputs.Cap(input.Synthetic, MaxSynthetic, seed + 2);
        var dm = HammingNearestNeighbors.Search(members, syn, false, input.Parallelism, cancellationToken).Distance;
        var dn = HammingNearestNeighbors.Search(nonMembers, syn, false, input.Parallelism, cancellationToken).Distance;
        double median = Stats.Median(dm.Concat(dn).Select(d => (double)d).ToArray());
        long tp = dm.Count(d => d < median), fn = m - tp;
        long fp = dn.Count(d => d < median), tn = m - fp;
        double precision = tp + fp == 0 ? double.NaN : (double)tp / (tp + fp);
        return new MetricResult(Name,
        [
            new("accuracy", (double)(tp + tn) / (2 * m), MetricDirection.CloserToTargetIsBetter, "distance attack accuracy (0.5 = no better than chance)", 0.5),
            new("precision", precision, MetricDirection.CloserToTargetIsBetter, "attack precision", 0.5),
            new("recall", (double)tp / m, MetricDirection.Descriptive, "attack recall"),
            new("f1", Stats.F1(tp, fp, fn), MetricDirection.Descriptive, "attack F1"),
            new("auc", Auc(dm, dn), MetricDirection.CloserToTargetIsBetter, "P(member closer than non-member), ties ½", 0.5),
            new("attack_size", m, MetricDirection.Descriptive, "members and non-members each"),
        ],
        notes: input.Notes);
    }

    /// <summary>P(d_member &lt; d_nonmember) + ½ P(tie), by counting over the (small, integer) distances.</summary>
    internal static double Auc(int[] members, int[] nonMembers)
    {
        int max = Math.Max(members.Max(), nonMembers.Max());
        var nonMemberCount = new long[max + 2];
        foreach (int d in nonMembers)
        {
            nonMemberCount[d]++;
        }

        var greater = new long[max + 2]; // non-members with distance > d
        for (int d = max; d >= 0; d--)
        {
            greater[d] = greater[d + 1] + nonMemberCount[d + 1];
        }

        double wins = 0;
        foreach (int d in members)
        {
            wins += greater[d] + (0.5 * nonMemberCount[d]);
        }

        return wins / ((double)members.Length * nonMembers.Length);
    }
}
