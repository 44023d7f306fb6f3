using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Llm.Sampling;

/// <summary>
/// Sampling-importance-resampling (Rubin 1987): records drawn from a proposal, each with its log importance weight
/// against the target, resampled with replacement in proportion to the weights. As the draws per record grow the
/// resampled records follow the target; the effective number of draws, (Σw)²/Σw², says how far a finite run is.
/// </summary>
internal static class ImportanceResampling
{
    /// <summary><paramref name="count"/> of <paramref name="drawn"/>'s records, drawn with probabilities ∝ exp(<paramref name="logWeights"/>).</summary>
    /// <exception cref="CohortUnreachableException">Every draw has weight 0 (each held an excluded code).</exception>
    public static (EhrDataset Data, CohortReport Report) Resample(string name, CohortCodes cohort, EhrDataset drawn, double[] logWeights, int count, int seed)
    {
        double top = logWeights.Max();
        if (double.IsNegativeInfinity(top))
        {
            var none = new CohortReport(cohort.Text, CohortMethod.Prompt, drawn.PatientCount, 0);
            throw new CohortUnreachableException($"{name}: none of the {drawn.PatientCount:N0} prompted records avoids the excluded codes ({cohort.Text}); with free decoding an excluded code cannot be forbidden. Use constrained decoding (LlmOptions.Constrained) or raise LlmOptions.CohortOversampling.", none);
        }

        var weights = logWeights.Select(w => Math.Exp(w - top)).ToArray();                  // in (0, 1], the largest 1
        double sum = weights.Sum(), squares = weights.Sum(w => w * w);
        var cumulative = new double[weights.Length];
        double running = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            running += weights[i];
            cumulative[i] = running;
        }

        var rng = new Random(seed);
        var builder = new EhrDatasetBuilder(drawn.Vocabulary, "syn-");
        for (int k = 0; k < count; k++)
        {
            int i = Array.BinarySearch(cumulative, rng.NextDouble() * sum);
            i = Math.Min(i < 0 ? ~i : i, weights.Length - 1);
            builder.AddPatient(drawn.GetCodes(i));
        }

        long kept = weights.Count(w => w > 0);
        return (builder.Build(), new CohortReport(cohort.Text, CohortMethod.Prompt, drawn.PatientCount, kept) { EffectiveDraws = sum * sum / squares });
    }
}
