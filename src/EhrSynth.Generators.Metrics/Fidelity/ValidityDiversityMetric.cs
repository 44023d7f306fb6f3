using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Kernels;

namespace EhrSynth.Generators.Metrics.Fidelity;

/// <summary>
/// What exposes degenerate output: empty records, too few distinct records, one record repeated (mode collapse),
/// runaway record lengths — plus what the generator itself reported (<see cref="EvaluationContext.Generation"/>):
/// invalid outputs redrawn, unknown codes dropped, duplicate codes removed, truncated records.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>empty_rate</c> (headline)</term><description>Share of synthetic records with no codes; the target is the real data's own rate.</description></item>
/// <item><term><c>distinct_fraction</c>, <c>distinct_records</c></term><description>Distinct records ÷ records (compare with <c>real_distinct_fraction</c>), and their number.</description></item>
/// <item><term><c>mode_share</c></term><description>Largest share of one identical record (compare with <c>real_mode_share</c>); high values mean mode collapse.</description></item>
/// <item><term><c>max_codes</c></term><description>Most codes in one synthetic record (compare with <c>real_max_codes</c>).</description></item>
/// </list>
/// </remarks>
public sealed class ValidityDiversityMetric : IUtilityMetric
{
    /// <inheritdoc />
    public string Name => "Validity and diversity";

    /// <inheritdoc />
    public MetricDirection Direction => MetricDirection.CloserToTargetIsBetter;

    /// <inheritdoc />
    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        var input = MetricInputs.Prepare(Name, real, synthetic, context);
        var s = Describe(input.Synthetic);
        var r = Describe(input.Real);
        var values = new List<MetricValue>
        {
            new("empty_rate", s.EmptyRate, MetricDirection.CloserToTargetIsBetter, "share of records with no codes", r.EmptyRate),
            new("distinct_fraction", s.DistinctFraction, MetricDirection.CloserToTargetIsBetter, "distinct records ÷ records", r.DistinctFraction),
            new("distinct_records", s.Distinct, MetricDirection.Descriptive, "distinct synthetic records"),
            new("mode_share", s.ModeShare, MetricDirection.CloserToTargetIsBetter, "largest share of one identical record", r.ModeShare),
            new("max_codes", s.MaxCodes, MetricDirection.Descriptive, "most codes in one record"),
            new("real_empty_rate", r.EmptyRate, MetricDirection.Descriptive, "the real data's empty-record rate"),
            new("real_distinct_fraction", r.DistinctFraction, MetricDirection.Descriptive, "the real data's distinct fraction"),
            new("real_mode_share", r.ModeShare, MetricDirection.Descriptive, "the real data's largest identical-record share"),
            new("real_max_codes", r.MaxCodes, MetricDirection.Descriptive, "the real data's longest record"),
        };
        if (input.Context.Generation is { } g)
        {
            values.Add(new("invalid_records", g.InvalidRecords, MetricDirection.LowerIsBetter, "raw outputs that could not be decoded (redrawn)"));
            values.Add(new("unknown_codes", g.UnknownCodes, MetricDirection.LowerIsBetter, "generated codes outside the vocabulary (dropped)"));
            values.Add(new("duplicate_codes_removed", g.DuplicateCodesRemoved, MetricDirection.LowerIsBetter, "repeated codes removed within records"));
            values.Add(new("truncated_records", g.TruncatedRecords, MetricDirection.LowerIsBetter, "records cut off by the length limit"));
        }

        var notes = input.Notes.ToList();
        if (s.ModeShare > Math.Max(0.2, 3 * r.ModeShare))
        {
            notes.Add($"Possible mode collapse: one record makes up {s.ModeShare:P1} of the synthetic data (real: {r.ModeShare:P1}).");
        }

        return new MetricResult(Name, values, notes: notes);
    }

    private static (double EmptyRate, int Distinct, double DistinctFraction, double ModeShare, int MaxCodes) Describe(EhrDataset data)
    {
        var counts = new Dictionary<int[], int>(RecordComparer.Instance);
        int max = 0;
        for (int p = 0; p < data.PatientCount; p++)
        {
            var codes = data.GetCodes(p);
            max = Math.Max(max, codes.Length);
            var key = codes.ToArray();
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        double n = data.PatientCount;
        return (data.EmptyPatientCount() / n, counts.Count, counts.Count / n, counts.Values.Max() / n, max);
    }
}
