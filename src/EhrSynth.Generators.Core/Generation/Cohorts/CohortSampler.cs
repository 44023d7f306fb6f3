using System.Globalization;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Generation;

/// <summary>
/// Cohort sampling by rejection, for any generator: records drawn in batches from the unconditional model (each batch
/// with its own seed derived from the call's), the first <c>count</c> that satisfy the condition kept in draw order. The
/// result is the model's exact conditional distribution; its cost is 1/acceptance draws per record, so sampling stops
/// with <see cref="CohortUnreachableException"/> once even an optimistic estimate of the acceptance rate is below
/// <see cref="CohortSamplingOptions.MinimumAcceptance"/>.
/// </summary>
public static class CohortSampler
{
    /// <summary>Fewest records drawn in one batch.</summary>
    private const int MinBatch = 256;

    /// <summary>
    /// A cohort from any generator: <see cref="ICohortGenerator.GenerateCohort"/> when it is one, else by rejection
    /// through <see cref="IEhrGenerator.Generate"/>. Returns the records and how they were drawn.
    /// </summary>
    /// <exception cref="ArgumentException">A code is not in the vocabulary, or is both required and excluded; invalid sampling options.</exception>
    /// <exception cref="CohortUnreachableException">Too few drawn records satisfy the condition.</exception>
    /// <exception cref="InvalidOperationException">The generator is not fitted.</exception>
    public static (EhrDataset Data, CohortReport Report) Generate(IEhrGenerator generator, CohortCondition condition, int count, int? seed = null, CohortSamplingOptions? sampling = null, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(condition);
        if (generator is ICohortGenerator native)
        {
            var data = native.GenerateCohort(condition, count, seed, sampling, progress, cancellationToken);
            return (data, native.LastGenerationReport?.Cohort ?? new CohortReport(condition.ToString(), native.CohortMethod, count, count));
        }

        var vocabulary = generator.Vocabulary ?? throw new InvalidOperationException($"{generator.Name}: the generator is not fitted; call FitAsync or Load first.");
        var cohort = condition.Resolve(vocabulary);
        int resolved = seed ?? Random.Shared.Next();
        return Rejection(generator.Name, cohort, vocabulary, count, resolved, (n, s) => generator.Generate(n, s, null, cancellationToken), sampling ?? CohortSamplingOptions.Default, progress, cancellationToken);
    }

    /// <summary>
    /// Rejection sampling with <paramref name="draw"/> (records, seed → unconditional records over
    /// <paramref name="vocabulary"/>).
    /// </summary>
    /// <param name="name">The generator's name, for messages.</param>
    /// <param name="cohort">The resolved condition.</param>
    /// <param name="vocabulary">The records' vocabulary.</param>
    /// <param name="count">Records to return, ≥ 1.</param>
    /// <param name="seed">The call's seed; batch k draws with a seed derived from (seed, k).</param>
    /// <param name="draw">The unconditional sampler.</param>
    /// <param name="sampling">Limits.</param>
    /// <param name="progress">Receives (records kept, count).</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <exception cref="ArgumentException">Invalid sampling options.</exception>
    /// <exception cref="CohortUnreachableException">Too few drawn records satisfy the condition.</exception>
    public static (EhrDataset Data, CohortReport Report) Rejection(string name, CohortCodes cohort, CodeVocabulary vocabulary, int count, int seed,
        Func<int, int, EhrDataset> draw, CohortSamplingOptions sampling, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(draw);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (sampling.Problems().ToList() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"Cohort sampling options: {string.Join(" ", problems)}", nameof(sampling));
        }

        string condition = cohort.Text;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var builder = new EhrDatasetBuilder(vocabulary, "syn-");
        long drawn = 0, satisfied = 0;
        long cap = (long)Math.Min(long.MaxValue / 4, Math.Ceiling(2.0 * count / sampling.MinimumAcceptance)) + MinBatch;
        for (int batchIndex = 0; builder.PatientCount < count; batchIndex++)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Enough records for what is missing at the rate seen so far (optimistic early on), within the limits.
            double rate = Math.Max((satisfied + 1.0) / (drawn + 1.0), sampling.MinimumAcceptance);
            double wanted = Math.Ceiling((count - builder.PatientCount) / rate * 1.1);
            int batch = (int)Math.Max(1, Math.Min(Math.Min(Math.Max(wanted, MinBatch), sampling.MaxBatch), cap - drawn));
            var records = draw(batch, BatchSeed(seed, batchIndex));
            if (records.PatientCount != batch || !records.Vocabulary.Equals(vocabulary))
            {
                throw new InvalidOperationException($"{name}: the sampler returned {records.PatientCount} patients over another vocabulary; expected {batch} over the fitted one.");
            }

            for (int p = 0; p < batch; p++)
            {
                var codes = records.GetCodes(p);
                if (cohort.IsSatisfiedBy(codes))
                {
                    satisfied++;
                    if (builder.PatientCount < count)
                    {
                        builder.AddPatient(codes);
                    }
                }
            }

            drawn += batch;
            progress?.Report(new GenerationProgress(builder.PatientCount, count, watch.Elapsed));
            var report = new CohortReport(condition, CohortMethod.Rejection, drawn, satisfied);
            if (builder.PatientCount < count && ((satisfied + 3.0) / drawn < sampling.MinimumAcceptance || drawn >= cap))
            {
                throw new CohortUnreachableException(Unreachable(name, condition, count, sampling.MinimumAcceptance, report), report);
            }
        }

        return (builder.Build(), new CohortReport(condition, CohortMethod.Rejection, drawn, satisfied));
    }

    /// <summary>Batch k's seed: a SplitMix64 mix of the call's seed and k (k = 0 included), non-negative.</summary>
    public static int BatchSeed(int seed, int batch)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)batch) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    private static string Unreachable(string name, string condition, int count, double minimum, CohortReport report)
    {
        var c = CultureInfo.InvariantCulture;
        string seen = report.Accepted == 0
            ? string.Create(c, $"none of the {report.Drawn:N0} records it sampled satisfy {condition}")
            : string.Create(c, $"{report.AcceptanceRate:P3} of the records it samples satisfy {condition} ({report.Accepted:N0} of {report.Drawn:N0} drawn)");
        string cost = report.Accepted == 0
            ? ""
            : string.Create(c, $"; {count:N0} records would take about {count / report.AcceptanceRate:N0} draws");
        return string.Create(c, $"{name}: {seen}, below the {minimum:P2} that sampling by rejection accepts (CohortSamplingOptions.MinimumAcceptance){cost}. Lower the minimum to wait for them, or use a family that conditions without rejection.");
    }
}
