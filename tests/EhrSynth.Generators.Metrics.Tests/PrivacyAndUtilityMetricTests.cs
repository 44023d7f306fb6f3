using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Baselines;
using EhrSynth.Generators.Metrics.Privacy;
using EhrSynth.Generators.Metrics.Utility;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Metrics.Tests;

public class PrivacyAndUtilityMetricTests
{
    private static readonly CodeVocabulary V = new(["a", "b", "c", "d", "e"]);

    private static EhrDataset Records(params string[][] rows) =>
        EhrDataset.FromRecords(rows.Select((r, i) => new PatientRecord($"p{i}", r)), V);

    [Fact]
    public void PrivacyMetrics_NeedTrainingData()
    {
        var d = Records(["a"], ["b"]);
        foreach (var m in new IUtilityMetric[] { new ExactCopyMetric(), new DistanceToClosestRecordMetric(), new MembershipInferenceMetric(), new AttributeInferenceMetric(), new NnaarMetric(), new DimensionWisePredictionMetric() })
        {
            Assert.Contains("EvaluationContext.Train", Assert.Throws<ArgumentException>(() => m.Evaluate(d, d)).Message);
        }
    }

    [Fact]
    public void ExactCopies_HandComputed()
    {
        var train = Records(["a", "b", "c", "d"], ["a"], ["b", "c"]);
        var holdout = Records(["a"], ["c"], ["a", "b", "c", "d"], ["e"]);
        var syn = Records(["a"], ["a", "b", "c", "d"], ["b"], ["a", "b", "c", "e"]);
        var r = new ExactCopyMetric().Evaluate(holdout, syn, new EvaluationContext { Train = train });
        Assert.Equal(0.5, r["copy_rate"]);              // {a}, {a,b,c,d}
        Assert.Equal(0.5, r["holdout_copy_rate"]);      // {a}, {a,b,c,d}
        Assert.Equal(0.5, r["copy_rate_4plus"]);        // 1 of 2 long records
        Assert.Equal(1.0, r["holdout_copy_rate_4plus"]);
    }

    [Fact]
    public void Dcr_HandComputed()
    {
        var train = Records(["a", "b"], ["c", "d", "e"]);
        var holdout = Records(["a"], ["c", "d"]);                 // distances 1, 1
        var syn = Records(["a", "b"], ["e"], ["a", "b", "c"]);    // distances 0, 2, 1
        var r = new DistanceToClosestRecordMetric().Evaluate(holdout, syn, new EvaluationContext { Train = train });
        Assert.Equal(1.0, r["dcr_mean_synthetic"], 12);
        Assert.Equal(1.0, r["dcr_mean_holdout"], 12);
        Assert.Equal(1.0, r["dcr_mean_ratio"], 12);
        Assert.Equal(1.0 / 3, r["dcr_zero_synthetic"], 12);
        Assert.Equal([0.0, 2, 1], r.FindSeries("dcr_synthetic")!.Y);
    }

    [Fact]
    public void MembershipInference_DetectsCopiedTrainingData()
    {
        var train = Records(["a", "b"], ["b", "c"], ["c", "d"], ["d", "e"]);
        var holdout = Records(["a", "c", "e"], ["a", "d"], ["b", "d", "e"], ["a", "b", "c", "d"]);
        var r = new MembershipInferenceMetric().Evaluate(holdout, train, new EvaluationContext { Train = train });
        // Members are at distance 0, non-members at ≥ 1; the median falls in between.
        Assert.Equal(1.0, r["accuracy"]);
        Assert.Equal(1.0, r["precision"]);
        Assert.Equal(1.0, r["auc"]);
    }

    [Fact]
    public void MembershipInference_AucCountsTiesAsHalf() =>
        Assert.Equal((1 + 0.5 + 0 + 0.5) / 4, MembershipInferenceMetric.Auc([1, 2], [2, 1]), 12);

    [Fact]
    public void AttributeInference_HandComputed()
    {
        // Known codes: the 2 most common in train (a: 3, b: 2). Target {a, c}: nearest synthetic on {a, b} is {a, d} → guess d.
        var train = Records(["a", "c"], ["a", "b", "e"], ["a", "b"]);
        var syn = Records(["a", "d"], ["b", "e"], ["a", "b", "e"]);
        var holdout = Records(["a", "c"], ["b"], ["a", "b", "e"]);
        var r = new AttributeInferenceMetric { KnownCodes = 2 }.Evaluate(holdout, syn, new EvaluationContext { Train = train });
        // Targets: {a,c} → guess {d}: FN c, FP d. {a,b,e} → {a,b,e} guess {e}: TP e. {a,b} → {a,b,e} guess {e}: FP e.
        Assert.Equal(2.0 * 1 / ((2 * 1) + 2 + 1), r["f1"], 12);
        // Baseline via holdout: {a,c} → {a,c}: TP c; {a,b,e} → {a,b,e}: TP e; {a,b} → {a,b,e}: FP e.
        Assert.Equal(2.0 * 2 / ((2 * 2) + 1 + 0), r["f1_holdout_baseline"], 12);
    }

    [Fact]
    public void Nnaar_CopyOfTrainingDataOverfits()
    {
        var population = Fixtures.Random(600, 30, 0.1, seed: 2);
        var (train, holdout) = population.Split(0.5, seed: 3);
        var ctx = new EvaluationContext { Train = train };
        var copy = new NnaarMetric().Evaluate(holdout, train, ctx);
        Assert.True(copy["aa_ts"] < 0.1, $"AA_TS {copy["aa_ts"]}");   // every synthetic record has a twin in train
        Assert.True(copy["nnaar"] > 0.2, $"NNAAR {copy["nnaar"]}");

        var fresh = new NnaarMetric().Evaluate(holdout, IndependentMarginalsGenerator.Sample(train, 300, seed: 1), ctx);
        Assert.InRange(fresh["nnaar"], -0.1, 0.1);
    }

    [Fact]
    public void Prediction_PerfectlyLinkedCodes_AreLearned()
    {
        // Code b is present exactly when a is; c and d are noise.
        var rng = new Random(5);
        var rows = Enumerable.Range(0, 600).Select(_ =>
        {
            var r = new List<string>();
            if (rng.NextDouble() < 0.4)
            {
                r.AddRange(["a", "b"]);
            }

            if (rng.NextDouble() < 0.3)
            {
                r.Add("c");
            }

            if (rng.NextDouble() < 0.2)
            {
                r.Add("d");
            }

            return r.ToArray();
        }).ToArray();
        var data = Records(rows);
        var (train, holdout) = data.Split(0.7, seed: 1);
        var metric = new DimensionWisePredictionMetric { TopCodes = 2, Epochs = 20 };
        var same = metric.Evaluate(holdout, train, new EvaluationContext { Train = train });
        Assert.Equal(1.0, same["f1_trtr"], 6);
        Assert.Equal(1.0, same["tstr_over_trtr"], 6);

        var independent = metric.Evaluate(holdout, IndependentMarginalsGenerator.Sample(train, train.PatientCount, seed: 2), new EvaluationContext { Train = train });
        Assert.True(independent["tstr_over_trtr"] < 0.8, $"independent TSTR/TRTR {independent["tstr_over_trtr"]}");
    }
}
