using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Samples.MixtureFamily.Modules;

/// <summary>
/// p(x) = Σ_k π_k Π_d θ_kd^x_d (1 − θ_kd)^(1 − x_d), with π = softmax(w) and θ = σ(L). The forward pass returns
/// log p(x) per record, computed in log space: log π_k + x·log θ_k + (1 − x)·log(1 − θ_k), then logsumexp over k.
/// </summary>
internal sealed class BernoulliMixtureNet : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weightLogits;   // [K]
    private readonly Parameter _codeLogits;     // [K, D]

    public BernoulliMixtureNet(int components, int codes)
        : base(nameof(BernoulliMixtureNet))
    {
        _weightLogits = nn.Parameter(zeros(components));
        _codeLogits = nn.Parameter(zeros(components, codes));
        register_parameter("weight_logits", _weightLogits);
        register_parameter("code_logits", _codeLogits);
    }

    /// <summary>The per-code logits L <c>[K, D]</c> (initialised by the generator from the data).</summary>
    public Parameter CodeLogits => _codeLogits;

    /// <summary>Values in the state of a mixture of these sizes.</summary>
    public static long StateSize(int components, int codes) => components + ((long)components * codes);

    /// <param name="x">0/1 records <c>[B, D]</c>.</param>
    /// <returns>log p(x) <c>[B]</c>.</returns>
    public override Tensor forward(Tensor x)
    {
        var logTheta = nn.functional.logsigmoid(_codeLogits);                             // [K, D]
        var logOneMinusTheta = nn.functional.logsigmoid(_codeLogits.neg());               // [K, D]
        var perComponent = x.matmul(logTheta.Minus(logOneMinusTheta).t())                // [B, K]
            .Plus(logOneMinusTheta.sum(1));                                               // [B, K] + [K]
        var logPi = nn.functional.log_softmax(_weightLogits, 0);                          // [K]
        return perComponent.Plus(logPi).logsumexp(1);                                     // [B]
    }

    /// <summary>
    /// <paramref name="count"/> records: a component per record from π, then every code from its θ.
    /// </summary>
    public Tensor Sample(int count, Generator rng)
    {
        var pi = nn.functional.softmax(_weightLogits, 0);                                 // [K]
        var component = pi.multinomial(count, replacement: true, generator: rng);         // [n]
        return _codeLogits.index_select(0, component).sigmoid();                          // [n, D] probabilities
    }
}
