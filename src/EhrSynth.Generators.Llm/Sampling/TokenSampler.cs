using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Sampling;

/// <summary>Temperature, top-k and top-p sampling of the next token, with an explicit generator; greedy at temperature 0.</summary>
internal static class TokenSampler
{
    /// <summary>Indices <c>[B]</c> drawn from logits <c>[B, N]</c> (−∞ marks excluded entries).</summary>
    public static Tensor Sample(Tensor logits, double temperature, int topK, double topP, Generator rng)
    {
        if (temperature <= 0)
        {
            return logits.argmax(1);                                                     // [B]
        }

        var scaled = logits / temperature;                                               // [B, N]
        long n = scaled.shape[1];
        if (topK > 0 && topK < n)
        {
            var kth = scaled.topk(topK, dim: 1).values[.., ^1..];                        // [B, 1]
            scaled = scaled.masked_fill(scaled < kth, double.NegativeInfinity);
        }

        if (topP < 1)
        {
            var (sorted, order) = scaled.sort(dim: 1, descending: true);                 // [B, N]
            var cumulative = sorted.softmax(1).cumsum(1);                                // [B, N]
            var drop = (cumulative - sorted.softmax(1)) > topP;                          // keep the smallest prefix reaching top-p
            var dropOriginal = zeros_like(drop).scatter(1, order, drop);                 // [B, N]
            scaled = scaled.masked_fill(dropOriginal, double.NegativeInfinity);
        }

        return multinomial(scaled.softmax(1), 1, generator: rng).squeeze(1);             // [B]
    }
}
