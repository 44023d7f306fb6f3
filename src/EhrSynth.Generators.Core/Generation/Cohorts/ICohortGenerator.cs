using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Generation;

/// <summary>
/// A generator that samples cohorts: records that all have some codes and none of others. Every family built on
/// <see cref="EhrGeneratorBase{TOptions}"/> is one — by rejection unless it conditions natively
/// (<see cref="CohortMethod"/>). For any other <see cref="IEhrGenerator"/>, <see cref="CohortSampler.Generate"/>
/// does the same through <see cref="IEhrGenerator.Generate"/>.
/// </summary>
public interface ICohortGenerator : IEhrGenerator
{
    /// <summary>How this generator draws cohorts.</summary>
    CohortMethod CohortMethod { get; }

    /// <summary>
    /// Samples <paramref name="count"/> patients that satisfy <paramref name="condition"/>, every one of them;
    /// <see cref="IEhrGenerator.LastGenerationReport"/>'s <see cref="GenerationReport.Cohort"/> says how.
    /// </summary>
    /// <param name="condition">The cohort.</param>
    /// <param name="count">Patients, ≥ 1.</param>
    /// <param name="seed">Sampling seed; <see langword="null"/> uses the options' seed (or a random one).</param>
    /// <param name="sampling">Limits of rejection sampling; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives progress reports; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked at least once per batch.</param>
    /// <exception cref="ArgumentException">A code is not in the vocabulary, or is both required and excluded.</exception>
    /// <exception cref="CohortUnreachableException">Rejection sampling accepts fewer records than <see cref="CohortSamplingOptions.MinimumAcceptance"/>.</exception>
    /// <exception cref="InvalidOperationException">The generator is not fitted.</exception>
    EhrDataset GenerateCohort(CohortCondition condition, int count, int? seed = null, CohortSamplingOptions? sampling = null, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default);
}
