using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Torch;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Sampling;

/// <summary>
/// The decode loop: batched autoregressive sampling after prompts of one length, with a preallocated KV cache (or a naive
/// recompute, for checking), optional trie-constrained candidates, and compaction of the batch to the live rows when half
/// of them have finished.
/// </summary>
internal static class TokenDecoder
{
    /// <summary>
    /// Generates tokens after each prompt (all of one length). Returns each sequence's new tokens and whether it ended
    /// with end-of-sequence; with a decoder, the decoder holds the completed codes. When the decoder forbids codes and
    /// <paramref name="logWeights"/> is given, each sequence's entry gains Σₜ log p(tokenₜ) − log q(tokenₜ): p the
    /// sampling distribution over the candidates the grammar allows without the ban, q the one it drew from — the
    /// importance weight of the ban against ordinary decoding.
    /// </summary>
    public static (List<int>[] Tokens, bool[] Ended) Decode(LlmParts parts, int[][] prompts, Generator rng, ConstrainedDecoder? decoder, DecodingSettings settings, CancellationToken cancellationToken, double[]? logWeights = null)
    {
        var model = parts.Model;
        var device = parts.Device;
        var config = model.Config;
        int b = prompts.Length, promptLength = prompts[0].Length;
        int maxNew = Math.Min(settings.MaxNewTokens, config.Positions - promptLength);
        if (maxNew < 2)
        {
            throw new InvalidOperationException($"The prompt ({promptLength} tokens) leaves no room in the model's {config.Positions} positions.");
        }

        model.eval();
        var generated = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
        var ended = new bool[b];
        int eos = parts.Tokenizer.EosToken;
        using var cache = settings.UseCache ? new KvCache(config.Layers, b, config.Heads, promptLength + maxNew, config.Embedding / config.Heads, device) : null;
        var context = tensor(prompts.SelectMany(p => p).Select(t => (long)t).ToArray(), [b, promptLength], device: device);  // [B, Tp]
        var logits = model.Forward(context, cache, 0)[.., ^1, ..];                                                            // [B, V]

        // Batch row r holds sequence rows[r]. When half the rows have finished, the batch is compacted to the live ones
        // (the KV cache, or the context when recomputing), so a long record does not keep every finished slot computing.
        int[] rows = [.. Enumerable.Range(0, b)];
        var keep = new List<int>(b);
        var allowed = new List<int>();
        int width = decoder is null ? 0 : parts.Trie.MaxFanout + 2;
        long[] index = new long[b * width];
        float[] penalty = new float[b * width];
        bool weigh = decoder is { HasExclusions: true } && logWeights is not null;
        long[] baseIndex = weigh ? new long[b * width] : [];
        float[] basePenalty = weigh ? new float[b * width] : [];
        float[] ratio = [];
        for (int step = 0; step < maxNew; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int n = rows.Length;
            long[] next;
            if (decoder is not null)
            {
                // Fixed-width candidate buffers, reused every step: no per-step garbage (see RootedScalars).
                for (int r = 0; r < n; r++)
                {
                    decoder.Allowed(rows[r], maxNew - step, allowed);
                    for (int k = 0; k < width; k++)
                    {
                        index[(r * width) + k] = allowed[Math.Min(k, allowed.Count - 1)];
                        penalty[(r * width) + k] = k < allowed.Count ? 0 : TokenSampler.Masked;
                    }
                }

                var indexTensor = tensor(index, [n, width], device: device);                                                   // [n, A]
                var candidateLogits = logits.gather(1, indexTensor).Plus(tensor(penalty, [n, width], device: device));         // [n, A]
                var choice = TokenSampler.Sample(candidateLogits, settings.Temperature, settings.TopK, settings.TopP, rng);               // [n]
                var chosen = indexTensor.gather(1, choice.unsqueeze(1));                                                       // [n, 1]
                next = chosen.squeeze(1).cpu().data<long>().ToArray();
                if (weigh)
                {
                    // The chosen token's probability among the candidates without the ban (p) and with it (q).
                    for (int r = 0; r < n; r++)
                    {
                        decoder.AllowedWithoutExclusions(rows[r], maxNew - step, allowed);
                        for (int k = 0; k < width; k++)
                        {
                            baseIndex[(r * width) + k] = allowed[Math.Min(k, allowed.Count - 1)];
                            basePenalty[(r * width) + k] = k < allowed.Count ? 0 : TokenSampler.Masked;
                        }
                    }

                    var baseTensor = tensor(baseIndex, [n, width], device: device);                                                    // [n, A]
                    var baseLogits = logits.gather(1, baseTensor).Plus(tensor(basePenalty, [n, width], device: device));              // [n, A]
                    var p = TokenSampler.Probabilities(baseLogits, settings.Temperature, settings.TopK, settings.TopP)
                        .mul(baseTensor.eq(chosen).to(baseLogits.dtype)).sum(1);                                                      // [n]
                    var q = TokenSampler.Probabilities(candidateLogits, settings.Temperature, settings.TopK, settings.TopP)
                        .mul(indexTensor.eq(chosen).to(candidateLogits.dtype)).sum(1);                                                // [n]
                    ratio = p.div(q).cpu().data<float>().ToArray();
                }
            }
            else
            {
                next = TokenSampler.Sample(logits, settings.Temperature, settings.TopK, settings.TopP, rng).cpu().data<long>().ToArray();
            }

            int live = 0;
            keep.Clear();
            for (int r = 0; r < n; r++)
            {
                int s = rows[r];
                if (ended[s] || (decoder?.Finished[s] ?? false))
                {
                    next[r] = eos;
                    continue;
                }

                int token = (int)next[r];
                if (weigh)
                {
                    logWeights![s] += Math.Log(ratio[r]);
                }

                decoder?.Advance(s, token);
                if (token == eos)
                {
                    ended[s] = true;
                }
                else
                {
                    generated[s].Add(token);
                    live++;
                    if (!(decoder?.Finished[s] ?? false))
                    {
                        keep.Add(r);   // still generating after this token: survives a compaction
                    }
                }
            }

            if (live == 0 || step == maxNew - 1)
            {
                break;
            }

            var input = tensor(next, [n, 1], device: device);                                                                    // [n, 1]
            if (settings.Compact && 2 * live <= n)
            {
                var keepTensor = tensor(keep.Select(r => (long)r).ToArray(), device: device);                                   // [n']
                input = input.index_select(0, keepTensor);                                                                       // [n', 1]
                if (cache is not null)
                {
                    cache.Keep(keepTensor);
                }
                else
                {
                    var kept = context.index_select(0, keepTensor).MoveToOuterDisposeScope();                                   // [n', Tp + step]
                    context.Dispose();
                    context = kept;
                }

                rows = [.. keep.Select(r => rows[r])];
                index = new long[rows.Length * width];
                penalty = new float[rows.Length * width];
                baseIndex = weigh ? new long[rows.Length * width] : [];
                basePenalty = weigh ? new float[rows.Length * width] : [];
            }

            logits.Dispose();
            if (cache is not null)
            {
                logits = model.Forward(input, cache, promptLength + step)[.., ^1, ..].MoveToOuterDisposeScope();             // [n, V]
            }
            else
            {
                var grown = cat([context, input], dim: 1);                                                                       // [n, Tp + step + 1]
                context.Dispose();
                context = grown.MoveToOuterDisposeScope();
                logits = model.Forward(context, null, 0)[.., ^1, ..].MoveToOuterDisposeScope();                               // naive recompute
            }
        }

        return (generated, ended);
    }
}
