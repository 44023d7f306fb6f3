using EhrSynth.Generators.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Sampling;

/// <summary>Temperature, top-k and top-p sampling of the next token, with an explicit generator; greedy at temperature 0.</summary>
internal static class TokenSampler
{
    /// <summary>The logit of excluded entries: far below any real logit, and finite.</summary>
    public const float Masked = -1e9f;

    /// <summary>Indices <c>[B]</c> drawn from logits <c>[B, N]</c> (<see cref="Masked"/> marks excluded entries).</summary>
    public static Tensor Sample(Tensor logits, double temperature, int topK, double topP, Generator rng)
    {
        if (temperature <= 0)
        {
            return logits.argmax(1);                                                     // [B]
        }

        return multinomial(Probabilities(logits, temperature, topK, topP), 1, generator: rng).squeeze(1);   // [B]
    }

    /// <summary>
    /// The distribution <see cref="Sample"/> draws from, <c>[B, N]</c>: the tempered softmax after the top-k and top-p
    /// filters (one-hot on the argmax at temperature 0).
    /// </summary>
    public static Tensor Probabilities(Tensor logits, double temperature, int topK, double topP)
    {
        if (temperature <= 0)
        {
            return nn.functional.one_hot(logits.argmax(1), logits.shape[1]).to(logits.dtype);   // [B, N]
        }

        // Explicit, kept-alive scalars: see RootedScalars for the TorchSharp finalizer race they avoid.
        using var t = temperature.ToScalar();
        using var masked = tensor(Masked, device: logits.device);
        var scaled = logits.div(t);                                                       // [B, N]
        long n = scaled.shape[1];
        if (topK > 0 && topK < n)
        {
            var kth = scaled.topk(topK, dim: 1).values[.., ^1..];                        // [B, 1]
            scaled = where(scaled.lt(kth), masked, scaled);
        }

        if (topP < 1)
        {
            var (sorted, order) = scaled.sort(dim: 1, descending: true);                 // [B, N]
            var cumulative = sorted.softmax(1).cumsum(1);                                // [B, N]
            using var p = topP.ToScalar();
            var drop = cumulative.Minus(sorted.softmax(1)).gt(p);                        // keep the smallest prefix reaching top-p
            var dropOriginal = zeros_like(drop).scatter(1, order, drop);                 // [B, N]
            scaled = where(dropOriginal, masked, scaled);
        }

        return scaled.softmax(1);                                                        // [B, N]
    }
}
