using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Kernels;

namespace EhrSynth.Generators.Metrics.Privacy;

/// <summary>
/// Nearest-neighbour adversarial accuracy risk (NNAAR, Yale et al.; HALO's <c>evaluate_privacy_nearest.py</c>):
/// NNAAR = AA_ES − AA_TS, where for real set X and synthetic set S,
/// AA_XS = ½·P[d(x, S) &gt; d(x, X∖x)] + ½·P[d(s, X) &gt; d(s, S∖s)] with Hamming distances, E the holdout and T
/// the training data. AA near 0.5 means synthetic and real records are indistinguishable by their neighbours; a
/// larger AA for E than for T means the synthetic data sits closer to the training patients than to unseen ones.
/// Needs <see cref="EvaluationContext.Train"/>.
/// </summary>
/// <remarks>
/// Unlike HALO's code, zero distances are <b>not</b> skipped in the nearest-neighbour search (skipping them hides exact
/// copies of training records), and the <see cref="SampleSize"/> records per set are drawn without replacement.
/// <list type="table">
/// <item><term><c>nnaar</c> (headline)</term><description>AA_ES − AA_TS; 0 is ideal, positive values signal overfitting to the training data.</description></item>
/// <item><term><c>aa_es</c>, <c>aa_ts</c></term><description>The two adversarial accuracies, in [0, 1]; 0.5 is ideal.</description></item>
/// </list>
/// </remarks>
public sealed class NnaarMetric : IUtilityMetric
{
    /// <summary>Records drawn from each of train, holdout and synthetic, at most. The default value is 5,000 (HALO).</summary>
    public int SampleSize { get; init; } = 5_000;

    /// <inheritdoc />
    public string Name => "NNAAR";

    /// <inheritdoc />
    public MetricDirection Direction => MetricDirection.CloserToTargetIsBetter;

    /// <inheritdoc />
    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        var input = MetricInputs.Prepare(Name, real, synthetic, context, needsTrain: true);
        int seed = input.Context.Seed;
        int n = Math.Min(SampleSize, Math.Min(input.Train!.PatientCount, Math.Min(input.Real.PatientCount, input.Synthetic.PatientCount)));
        if (n < 2)
        {
            return MetricResult.NotComputed(Name, $"train, holdout and synthetic need at least 2 records each; the smallest has {n}");
        }

        var t = MetricInputs.Cap(input.Train, n, seed);
        var e = MetricInputs.Cap(input.Real, n, seed + 1);
        var s = MetricInputs.Cap(input.Synthetic, n, seed + 2);
        int dop = input.Parallelism;
        int[] Nn(EhrDataset q, EhrDataset r, bool self) => HammingNearestNeighbors.Search(q, r, self, dop, cancellationToken).Distance;
        var dSS = Nn(s, s, true);
        double aaES = AdversarialAccuracy(Nn(e, s, false), Nn(e, e, true), Nn(s, e, false), dSS);
        double aaTS = AdversarialAccuracy(Nn(t, s, false), Nn(t, t, true), Nn(s, t, false), dSS);
        return new MetricResult(Name,
        [
            new("nnaar", aaES - aaTS, MetricDirection.CloserToTargetIsBetter, "AA_ES − AA_TS (0 = no sign of overfitting)", 0.0),
            new("aa_es", aaES, MetricDirection.CloserToTargetIsBetter, "adversarial accuracy, holdout vs synthetic", 0.5),
            new("aa_ts", aaTS, MetricDirection.CloserToTargetIsBetter, "adversarial accuracy, train vs synthetic", 0.5),
            new("sample_size", n, MetricDirection.Descriptive, "records per set"),
        ],
        notes: input.Notes);
    }

    private static double AdversarialAccuracy(int[] realToSyn, int[] realToReal, int[] synToReal, int[] synToSyn)
    {
        double a = realToSyn.Zip(realToReal).Count(p => p.First > p.Second) / (double)realToSyn.Length;
        double b = synToReal.Zip(synToSyn).Count(p => p.First > p.Second) / (double)synToReal.Length;
        return (a + b) / 2;
    }
}
