using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Evaluation;

/// <summary>What some metrics need beyond the real and synthetic data.</summary>
public sealed record EvaluationContext
{
    /// <summary>
    /// The generator's training data (the members). Privacy metrics compare the synthetic data with it, and the
    /// prediction metric trains on it for the TRTR baseline. The real data passed to a metric is then the holdout.
    /// </summary>
    public EhrDataset? Train { get; init; }

    /// <summary>Seed of every random choice a metric makes (groups, subsamples). The default value is 0.</summary>
    public int Seed { get; init; }

    /// <summary>What the generator reported about its output, when it came from one.</summary>
    public GenerationReport? Generation { get; init; }

    /// <summary>
    /// When the synthetic (or training) data uses codes the real data's vocabulary lacks, fail and list them instead of
    /// dropping them. The default value is <see langword="false"/>: data is aligned to the real vocabulary by code
    /// string and unknown codes are dropped (the result notes how many).
    /// </summary>
    public bool FailOnUnknownCodes { get; init; }

    /// <summary>Degree of parallelism for the bit-packed kernels. The default value is <see cref="Environment.ProcessorCount"/>.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The most memory a metric may hold for pairs of codes; a metric that would need more refuses with a message naming
    /// the codes and the memory, rather than exhausting the machine. The built-in pair metrics (covariance resampling,
    /// co-occurrence) build no codes × codes matrix: they hold 16 bytes per distinct pair of codes that occur together
    /// (a record with k codes has k(k − 1)/2), which is what this bounds; a metric of your own that builds a matrix
    /// should check it too. The default value is 2 GiB.
    /// </summary>
    public long MaxMatrixBytes { get; init; } = 2L << 30;
}
