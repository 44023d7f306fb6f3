namespace EhrSynth.Generators.Llm.Sampling;

/// <summary>How to decode: temperature (0 is greedy), top-k (0: off), top-p (1: off), the token budget, and whether to use the KV cache.</summary>
/// <param name="Temperature">Softmax temperature.</param>
/// <param name="TopK">Keep the k most likely tokens; 0 keeps all.</param>
/// <param name="TopP">Keep the smallest set with this much probability; 1 keeps all.</param>
/// <param name="MaxNewTokens">New tokens per sequence at most (also capped by the model's positions).</param>
/// <param name="UseCache">Decode with the KV cache (false recomputes the whole context every token).</param>
/// <param name="Compact">Shrink the batch to the live rows once half have finished (false keeps every row, so that
/// benchmarks compare steps of the same batch size).</param>
internal sealed record DecodingSettings(double Temperature, int TopK, double TopP, int MaxNewTokens, bool UseCache = true, bool Compact = true)
{
    public static DecodingSettings From(LlmOptions options, bool useCache = true) => new(options.Temperature, options.TopK, options.TopP, options.MaxNewTokens, useCache);
}
