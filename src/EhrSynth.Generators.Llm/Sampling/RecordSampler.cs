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

    /// <summary>Samples <paramref name="count"/> records that all contain <paramref name="required"/>, prompting with <paramref name="ids"/>' generation ids.</summary>
    public (EhrDataset Data, GenerationReport Report) Sample(int count, Training.PatientIds ids, Generator rng, IReadOnlyList<int> required, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
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
                            foreach (int c in required)
                            {
                                decoder.Require(s, c);
                            }
                        }
                    }

                    var (tokens, ended) = TokenDecoder.Decode(parts, [.. batch.Select(p => p.Prompt)], rng, decoder, settings, cancellationToken);
                    for (int s = 0; s < batch.Length; s++)
                    {
                        int i = batch[s].Index;
                        if (decoder is not null)
                        {
                            records[i] = [.. required, .. decoder.Codes(s)];
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

    private int[] Prompt(long id, IReadOnlyList<int> required)
    {
        PromptObserver?.Invoke(id);
        return parts.Prompt(id, required);
    }
}
