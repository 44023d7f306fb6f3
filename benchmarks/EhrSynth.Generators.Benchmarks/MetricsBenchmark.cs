using BenchmarkDotNet.Attributes;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Metrics.Fidelity;
using EhrSynth.Generators.Metrics.Kernels;
using EhrSynth.Generators.Metrics.Privacy;
using EhrSynth.Generators.Metrics.Utility;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// Every metric at MIMIC-III scale: 46,520 × 1,071 real, synthetic and training sets, 2 threads. Targets: covariance
/// resampling &lt; 1 s; the 10,000 × 10,000 × 1,071 Hamming nearest-neighbour search &lt; 2 s; every other metric &lt; 1 s.
/// </summary>
public class MetricsBenchmark
{
    private EhrDataset _real = null!;
    private EhrDataset _synthetic = null!;
    private EvaluationContext _context = null!;
    private EhrDataset _queries = null!;
    private EhrDataset _references = null!;

    [GlobalSetup]
    public void Setup()
    {
        _real = MimicScaleData.Create(46_520, seed: 1);
        _synthetic = MimicScaleData.Create(46_520, seed: 2);
        _context = new EvaluationContext { Train = MimicScaleData.Create(46_520, seed: 3), Seed = 1, MaxDegreeOfParallelism = 2 };
        _queries = _real.Sample(10_000, 1);
        _references = _synthetic.Sample(10_000, 2);
    }

    [Benchmark]
    public MetricResult CovarianceResampling() => new CovarianceResamplingMetric().Evaluate(_real, _synthetic, _context);

    [Benchmark]
    public int[] HammingNearestNeighbors10kx10k() => HammingNearestNeighbors.Search(_queries, _references, false, 2, default).Distance;

    [Benchmark]
    public int[] HammingNearestNeighbors10kx10kPacked() =>
        HammingNearestNeighbors.Search(_queries, _references, false, 2, default, HammingNearestNeighbors.Strategy.PackedBruteForce).Distance;

    [Benchmark]
    public MetricResult DimensionWiseDistribution() => new DimensionWiseDistributionMetric().Evaluate(_real, _synthetic, _context);

    [Benchmark]
    public MetricResult Cooccurrence() => new CooccurrenceMetric().Evaluate(_real, _synthetic, _context);

    [Benchmark]
    public MetricResult RecordLength() => new RecordLengthMetric().Evaluate(_real, _synthetic, _context);

    [Benchmark]
    public MetricResult ValidityDiversity() => new ValidityDiversityMetric().Evaluate(_real, _synthetic, _context);

    [Benchmark]
    public MetricResult DimensionWisePrediction() => new DimensionWisePredictionMetric().Evaluate(_real, _synthetic, _context);

    [Benchmark]
    public MetricResult ExactCopies() => new ExactCopyMetric().Evaluate(_real, _synthetic, _context);

    [Benchmark]
    public MetricResult DistanceToClosestRecord() => new DistanceToClosestRecordMetric().Evaluate(_real, _synthetic, _context);

    [Benchmark]
    public MetricResult MembershipInference() => new MembershipInferenceMetric().Evaluate(_real, _synthetic, _context);

    [Benchmark]
    public MetricResult AttributeInference() => new AttributeInferenceMetric().Evaluate(_real, _synthetic, _context);

    [Benchmark]
    public MetricResult Nnaar() => new NnaarMetric().Evaluate(_real, _synthetic, _context);
}
