using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Sampling;

/// <summary>
/// Samples patients: prompts "Patient ID X has Diagnostic Code(s)" with ids the model never saw in training
/// (<see cref="Training.PatientIds"/>), decodes in batches of prompts of one token length, and turns the tokens back into
/// records — through the trie-constrained decoder (every record valid), or freely, parsing each sentence and redrawing
/// invalid ones up to <see cref="LlmOptions.MaxResampleRounds"/> times (the paper's and GReaT's way).
/// </summary>
internal sealed class RecordSampler(LlmParts parts, LlmOptions options)
{
    /// <summary>Called with every patient id put in a prompt (tests check that none was a training id).</summary>
    public Action<long>? PromptObserver { get; init; }

    /// <summary>
    /// Samples <paramref name="count"/> records that all contain <paramref name="required"/> (listed in the prompt) and,
    /// with constrained decoding, none of <paramref name="excluded"/>, prompting with <paramref name="ids"/>' generation
    /// ids. Free decoding cannot forbid a code: the caller filters.
    /// </summary>
    /// <remarks>
    /// With <paramref name="logWeights"/> (length <paramref name="count"/>), each record's log importance weight
    /// against the model's unconditional sampler: log (k)ₘ for a record of k codes that starts with the m required ones
    /// (a model trained on shuffled code orders puts them first in a share 1/(k)ₘ of its orderings), plus the weight of
    /// the decoder's ban on excluded codes (<see cref="TokenDecoder.Decode"/>); −∞ for a freely decoded record that holds
    /// an excluded code.
    /// </remarks>
    public (EhrDataset Data, GenerationReport Report) Sample(int count, Training.PatientIds ids, Generator rng, IReadOnlyList<int> required, IReadOnlyList<int> excluded, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken, double[]? logWeights = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var settings = DecodingSettings.From(options);
        var records = new int[count][];
        int invalid = 0, unknown = 0, duplicates = 0, truncated = 0, done = 0;
        var pending = Enumerable.Range(0, count).ToList();
        for (int round = 0; pending.Count > 0; round++)
        {
            var retry = new List<int>();

            // Prompts of one token length go together (ids of different lengths tokenize to different lengths).
            var byLength = pending.Select(i => (Index: i, Prompt: Prompt(ids.ForSample(i + ((long)round * count)), required))).GroupBy(p => p.Prompt.Length);
            foreach (var group in byLength)
            {
                foreach (var batch in group.Chunk(options.GenerationBatchSize))
                {
                    using var scope = NewDisposeScope();   // frees the prompt pass and the cache views batch by batch
                    ConstrainedDecoder? decoder = null;
                    if (options.Constrained)
                    {
                        decoder = new ConstrainedDecoder(parts.Trie, parts.Tokenizer.SeparatorToken, parts.Tokenizer.EosToken, batch.Length, parts.Vocabulary.Count);
                        for (int s = 0; s < batch.Length; s++)
                        {
                            decoder.Start(s, required, excluded);
                        }
                    }

                    var banWeights = logWeights is null ? null : new double[batch.Length];
                    var (tokens, ended) = TokenDecoder.Decode(parts, [.. batch.Select(p => p.Prompt)], rng, decoder, settings, cancellationToken, banWeights);
                    for (int s = 0; s < batch.Length; s++)
                    {
                        int i = batch[s].Index;
                        if (decoder is not null)
                        {
                            records[i] = [.. required, .. decoder.Codes(s)];
                            if (logWeights is not null)
                            {
                                logWeights[i] = banWeights![s] + LogFallingFactorial(records[i].Length, required.Count);
                            }

                            continue;
                        }

                        var decoded = parts.Codec.Decode(parts.Tokenizer.Decode(batch[s].Prompt.Concat(tokens[s])), ended[s]);
                        unknown += decoded.UnknownCodes.Count;
                        duplicates += decoded.DuplicatesRemoved;
                        truncated += ended[s] ? 0 : 1;
                        if (!decoded.IsValid && round < options.MaxResampleRounds)
                        {
                            invalid++;
                            retry.Add(i);
                            continue;
                        }

                        records[i] = [.. decoded.Codes.Select(parts.Vocabulary.IndexOf).Union(required)];   // the prompt lists the required codes
                        if (logWeights is not null)
                        {
                            logWeights[i] = records[i].Any(excluded.Contains) ? double.NegativeInfinity : LogFallingFactorial(records[i].Length, required.Count);
                        }
                    }

                    done += batch.Length;
                    progress?.Report(new GenerationProgress(Math.Min(done, count), count, watch.Elapsed));
                }
            }

            pending = retry;
        }

        var builder = new EhrDatasetBuilder(parts.Vocabulary, "syn-");
        foreach (var r in records)
        {
            builder.AddPatient(r);
        }

        return (builder.Build(), new GenerationReport { InvalidRecords = invalid, UnknownCodes = unknown, DuplicateCodesRemoved = duplicates, TruncatedRecords = truncated });
    }

    /// <summary>log (k)ₘ = log k(k − 1)…(k − m + 1).</summary>
    private static double LogFallingFactorial(int k, int m)
    {
        double sum = 0;
        for (int i = 0; i < m; i++)
        {
            sum += Math.Log(Math.Max(1, k - i));
        }

        return sum;
    }

    private int[] Prompt(long id, IReadOnlyList<int> required)
    {
        PromptObserver?.Invoke(id);
        return parts.Prompt(id, required);
    }
}
