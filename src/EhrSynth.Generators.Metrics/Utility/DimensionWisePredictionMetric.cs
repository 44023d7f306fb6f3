using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Kernels;

namespace EhrSynth.Generators.Metrics.Utility;

/// <summary>
/// medGAN's dimension-wise prediction: for each of the <see cref="TopCodes"/> most prevalent codes (in the training
/// data), a logistic regression predicts the code from all the other codes. One model is trained on synthetic data
/// (TSTR), one on the real training data (TRTR); both are tested on the real holdout (the <c>real</c> argument).
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>tstr_over_trtr</c> (headline)</term><description>mean F1 (TSTR) ÷ mean F1 (TRTR). 1 means the synthetic data is as useful as the real data for these tasks; higher is better.</description></item>
/// <item><term><c>f1_tstr</c>, <c>f1_trtr</c></term><description>Mean F1 at probability 0.5 over the codes whose F1 is defined.</description></item>
/// </list>
/// The regression is L2-regularised (λ = <see cref="L2"/>) and fitted by SGD for <see cref="Epochs"/> epochs on at
/// most <see cref="MaxTrainingRecords"/> records per side, for speed; it needs <see cref="EvaluationContext.Train"/>.
/// Series <c>f1</c>: x = TRTR F1, y = TSTR F1, one point per code (medGAN's scatter).
/// </remarks>
public sealed class DimensionWisePredictionMetric : IUtilityMetric
{
    /// <summary>Codes to predict. The default value is 50.</summary>
    public int TopCodes { get; init; } = 50;

    /// <summary>SGD epochs. The default value is 4.</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>SGD learning rate. The default value is 0.1.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>L2 strength. The default value is 1e-4.</summary>
    public double L2 { get; init; } = 1e-4;

    /// <summary>Records each model trains on, at most. The default value is 10,000.</summary>
    public int MaxTrainingRecords { get; init; } = 10_000;

    /// <inheritdoc />
    public string Name => "Dimension-wise prediction";

    /// <inheritdoc />
    public MetricDirection Direction => MetricDirection.HigherIsBetter;

    /// <inheritdoc />
    public MetricResult Evaluate(EhrDataset real, EhrDataset synthetic, EvaluationContext? context = null, CancellationToken cancellationToken = default)
    {
        var input = MetricInputs.Prepare(Name, real, synthetic, context, needsTrain: true);
        int seed = input.Context.Seed;
        var train = MetricInputs.Cap(input.Train!, MaxTrainingRecords, seed);
        var syn = MetricInputs.Cap(input.Synthetic, MaxTrainingRecords, seed + 1);
        var test = input.Real;
        var prevalence = input.Train!.CodePrevalence();
        var targets = Enumerable.Range(0, prevalence.Length).Where(c => prevalence[c] > 0)
            .OrderByDescending(c => prevalence[c]).ThenBy(c => c).Take(TopCodes).ToArray();
        var f1Syn = new double[targets.Length];
        var f1Real = new double[targets.Length];
        var all = (EhrDataset d) => Enumerable.Range(0, d.PatientCount).ToArray();
        int[] synRows = all(syn), trainRows = all(train);
        var options = new ParallelOptions { MaxDegreeOfParallelism = input.Parallelism, CancellationToken = cancellationToken };
        Parallel.For(0, targets.Length, options, t =>
        {
            int code = targets[t];
            var onSyn = LogisticRegression.Fit(syn, synRows, code, Epochs, LearningRate, L2, seed + code);
            var onReal = LogisticRegression.Fit(train, trainRows, code, Epochs, LearningRate, L2, seed + code);
            f1Syn[t] = F1On(test, onSyn, code);
            f1Real[t] = F1On(test, onReal, code);
        });

        var defined = Enumerable.Range(0, targets.Length).Where(t => !double.IsNaN(f1Syn[t]) && !double.IsNaN(f1Real[t])).ToArray();
        double meanSyn = defined.Length == 0 ? double.NaN : defined.Average(t => f1Syn[t]);
        double meanReal = defined.Length == 0 ? double.NaN : defined.Average(t => f1Real[t]);
        var notes = input.Notes.ToList();
        if (defined.Length < targets.Length)
        {
            notes.Add($"{targets.Length - defined.Length} of {targets.Length} codes have no positives in the holdout and no predicted positives; they are left out of the means.");
        }

        return new MetricResult(Name,
        [
            new("tstr_over_trtr", meanReal == 0 ? double.NaN : meanSyn / meanReal, MetricDirection.HigherIsBetter, "mean F1 trained on synthetic ÷ trained on real"),
            new("f1_tstr", meanSyn, MetricDirection.HigherIsBetter, "mean F1, trained on synthetic, tested on holdout"),
            new("f1_trtr", meanReal, MetricDirection.Descriptive, "mean F1, trained on real train, tested on holdout"),
            new("codes", targets.Length, MetricDirection.Descriptive, "codes predicted"),
        ],
        [new MetricSeries("f1", defined.Select(t => f1Real[t]).ToArray(), defined.Select(t => f1Syn[t]).ToArray())],
        notes);
    }

    private static double F1On(EhrDataset test, LogisticRegression model, int code)
    {
        long tp = 0, fp = 0, fn = 0;
        for (int p = 0; p < test.PatientCount; p++)
        {
            var codes = test.GetCodes(p);
            bool truth = codes.BinarySearch(code) >= 0;
            bool predicted = model.Predict(codes, code);
            if (truth && predicted)
            {
                tp++;
            }
            else if (predicted)
            {
                fp++;
            }
            else if (truth)
            {
                fn++;
            }
        }

        return Stats.F1(tp, fp, fn);
    }
}
