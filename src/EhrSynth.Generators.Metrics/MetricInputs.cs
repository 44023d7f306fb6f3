using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;

namespace EhrSynth.Generators.Metrics;

/// <summary>Checked, vocabulary-aligned inputs of a metric.</summary>
internal sealed record MetricInputs(EhrDataset Real, EhrDataset Synthetic, EhrDataset? Train, EvaluationContext Context, IReadOnlyList<string> Notes)
{
    public int Parallelism => Math.Max(1, Context.MaxDegreeOfParallelism);

    /// <summary>Validates the datasets and aligns synthetic and training data to the real vocabulary by code string.</summary>
    /// <exception cref="ArgumentException">A dataset is empty, or the training data is needed but missing.</exception>
    public static MetricInputs Prepare(string metric, EhrDataset real, EhrDataset synthetic, EvaluationContext? context, bool needsTrain = false)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        context ??= new EvaluationContext();
        if (real.PatientCount == 0)
        {
            throw new ArgumentException($"{metric}: the real dataset is empty.", nameof(real));
        }

        if (synthetic.PatientCount == 0)
        {
            throw new ArgumentException($"{metric}: the synthetic dataset is empty.", nameof(synthetic));
        }

        if (real.CodeCount == 0)
        {
            throw new ArgumentException($"{metric}: the real dataset has no codes.", nameof(real));
        }

        var notes = new List<string>();
        var alignedSynthetic = Align(metric, "synthetic", synthetic, real.Vocabulary, context, notes);
        EhrDataset? train = null;
        if (context.Train is { } t)
        {
            if (t.PatientCount == 0)
            {
                throw new ArgumentException($"{metric}: the training dataset in the context is empty.", nameof(context));
            }

            train = Align(metric, "training", t, real.Vocabulary, context, notes);
        }
        else if (needsTrain)
        {
            throw new ArgumentException($"{metric}: needs the generator's training data (EvaluationContext.Train); the real data is then the holdout.", nameof(context));
        }

        return new MetricInputs(real, alignedSynthetic, train, context, notes);
    }

    private static EhrDataset Align(string metric, string what, EhrDataset data, CodeVocabulary target, EvaluationContext context, List<string> notes)
    {
        if (data.Vocabulary.Equals(target))
        {
            return data;
        }

        try
        {
            var aligned = data.AlignTo(target, context.FailOnUnknownCodes);
            int dropped = data.StoredCodeCount - aligned.StoredCodeCount;
            if (dropped > 0)
            {
                notes.Add($"{dropped} {what} code occurrence(s) outside the real vocabulary were dropped.");
            }

            return aligned;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{metric}: the {what} data does not fit the real vocabulary. {e.Message}", e);
        }
    }

    /// <summary>
    /// Refuses, before allocating, a metric whose codes × codes matrices would need more than
    /// <see cref="EvaluationContext.MaxMatrixBytes"/>: <paramref name="bytesPerPair"/> bytes for each of the D² code pairs.
    /// </summary>
    /// <exception cref="InvalidDataException">The matrices would not fit; the message names the codes, the memory and the limit.</exception>
    public void RequireMatrixMemory(string metric, double bytesPerPair)
    {
        int d = Real.CodeCount;
        double bytes = (double)d * d * bytesPerPair;
        if (bytes > Context.MaxMatrixBytes || (long)d * d > int.MaxValue)
        {
            throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{metric}: {d:N0} codes need about {bytes / 1e9:F1} GB for its {d:N0} × {d:N0} matrices, more than the {Context.MaxMatrixBytes / 1e9:F1} GB limit (EvaluationContext.MaxMatrixBytes). Evaluate fewer codes (for example the most frequent ones), or choose metrics without pairwise matrices."));
        }
    }

    /// <summary>A seeded sample of at most <paramref name="max"/> patients (the whole set when it is small enough).</summary>
    public static EhrDataset Cap(EhrDataset data, int max, int seed) =>
        data.PatientCount <= max ? data : data.Sample(max, seed);
}
