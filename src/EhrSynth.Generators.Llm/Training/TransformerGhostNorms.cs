using EhrSynth.Generators.Llm.Gpt2.Modules;
using EhrSynth.Generators.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Training;

/// <summary>
/// Each patient's loss and squared gradient norm over every GPT-2 parameter, for a padded batch, from one forward and
/// one backward pass — ghost clipping for transformers (Li, Tramèr, Liang and Hashimoto, "Large Language Models Can Be
/// Strong Differentially Private Learners", ICLR 2022), so DP-SGD needs no microbatch of one.
/// </summary>
/// <remarks>
/// With a = a layer's input and g = the loss's gradient at its output, over the T positions of one patient:
/// <list type="bullet">
/// <item>Linear weight: ‖Σₜ gₜaₜᵀ‖² = Σₜ,ₛ (aₜ·aₛ)(gₜ·gₛ), the sum of (AAᵀ) ⊙ (GGᵀ) — T × T per patient, never the
/// weight-sized per-patient gradient; bias: ‖Σₜ gₜ‖².</item>
/// <item>LayerNorm: the per-patient gradients Σₜ gₜ ⊙ x̂ₜ and Σₜ gₜ are only C wide: computed directly.</item>
/// <item>Position embedding: position t's row gets gₜ once: Σₜ ‖gₜ‖².</item>
/// <item>Token embedding, tied to the head: its gradient is the embedding's Σₜ e(tokₜ)gₜᵀ plus the head's Σₛ ℓₛhₛᵀ
/// (ℓ the gradient of the logits, h the final hidden states), so ‖·‖² = Σ_{tokₜ = tokₛ} gₜ·gₛ + Σₜ,ₛ (hₜ·hₛ)(ℓₜ·ℓₛ) +
/// 2 Σₜ,ₛ ℓₛ[tokₜ] (gₜ·hₛ).</item>
/// </list>
/// Padding positions carry no loss and, the attention being causal, send no gradient back to real ones: their g is 0.
/// Returns <see langword="null"/> when a parameter of the model is not one of these (the caller falls back to
/// microbatches of one).
/// </remarks>
internal static class TransformerGhostNorms
{
    /// <summary>Per-patient losses <c>[B]</c> (mean cross-entropy over its targets) and squared gradient norms <c>[B]</c>, float64.</summary>
    public static (Tensor Losses, Tensor SquaredNorms)? Compute(Gpt2LmHeadNet model, Tensor inputs, Tensor targets)
    {
        if (Modules(model) is not var (linears, norms, wte, wpe))
        {
            return null;
        }

        var linearCalls = new List<(Tensor Input, Tensor Output, bool Bias)>();
        var normCalls = new List<(string Name, Tensor Input, Tensor Output, double Epsilon)>();
        Tensor? tokenOut = null, positionOut = null;
        var removers = new List<Action>();
        foreach (var linear in linears)
        {
            removers.Add(linear.register_forward_hook((m, input, output) => { linearCalls.Add((input, output, ((Linear)m).bias is not null)); return output; }).remove);
        }

        foreach (var (name, norm) in norms)
        {
            removers.Add(norm.register_forward_hook((m, input, output) => { normCalls.Add((name, input, output, model.Config.LayerNormEpsilon)); return output; }).remove);
        }

        removers.Add(wte.register_forward_hook((m, input, output) => { tokenOut = output; return output; }).remove);
        removers.Add(wpe.register_forward_hook((m, input, output) => { positionOut = output; return output; }).remove);
        Tensor logits;                                                                                   // [B, T, V]
        try
        {
            logits = model.call(inputs);
        }
        finally
        {
            removers.ForEach(remove => remove());
        }

        long b = inputs.shape[0], t = inputs.shape[1];
        if (tokenOut is null || positionOut is null || linearCalls.Count != linears.Count || normCalls.Count != norms.Count)
        {
            return null;                                                                                // a module ran twice or not at all
        }

        var perToken = nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), reduction: nn.Reduction.None, ignore_index: -100).view(b, t);   // [B, T]
        using var ignored = (-100L).ToScalar();
        var counted = targets.ne(ignored).sum(1).clamp_min(RootedScalars.One).to(perToken.dtype);     // [B]
        var losses = perToken.sum(1).div(counted);                                                      // [B]

        var final = normCalls.Single(n => n.Name == "transformer.ln_f").Output;                         // [B, T, C] h
        Tensor[] watched = [.. linearCalls.Select(c => c.Output), .. normCalls.Select(c => c.Output), tokenOut, logits];
        var grads = torch.autograd.grad([losses.sum()], watched, retain_graph: true);
        using var noGrad = no_grad();
        var squared = zeros([b], ScalarType.Float64, device: inputs.device);                            // [B]
        int k = 0;
        foreach (var (input, _, bias) in linearCalls)
        {
            var g = grads[k++];                                                                          // [B, T, out]
            squared.add_(Gram(input).mul(Gram(g)).sum([1, 2]).to(ScalarType.Float64), RootedScalars.One);        // weight
            if (bias)
            {
                squared.add_(g.sum(1).Square().sum(1).to(ScalarType.Float64), RootedScalars.One);      // bias
            }
        }

        foreach (var (_, input, _, epsilon) in normCalls)
        {
            var g = grads[k++];                                                                          // [B, T, C]
            var mean = input.mean([-1], keepdim: true);                                                  // [B, T, 1]
            var normalized = input.Minus(mean).div(input.var(-1, unbiased: false, keepdim: true).Plus(epsilon).sqrt());   // [B, T, C] x̂
            squared.add_(g.mul(normalized).sum(1).Square().sum(1).to(ScalarType.Float64), RootedScalars.One);      // weight
            squared.add_(g.sum(1).Square().sum(1).to(ScalarType.Float64), RootedScalars.One);                      // bias
        }

        var ge = grads[k++];                                                                             // [B, T, C] ∂L/∂(embedding sum)
        var gl = grads[k];                                                                               // [B, T, V] ∂L/∂logits
        squared.add_(ge.Square().sum([1, 2]).to(ScalarType.Float64), RootedScalars.One);              // position embedding
        var same = inputs.unsqueeze(2).eq(inputs.unsqueeze(1)).to(ge.dtype);                            // [B, T, T] tokₜ = tokₛ
        squared.add_(Gram(ge).mul(same).sum([1, 2]).to(ScalarType.Float64), RootedScalars.One);        // token embedding
        squared.add_(Gram(final).mul(Gram(gl)).sum([1, 2]).to(ScalarType.Float64), RootedScalars.One); // the tied head
        var headAtToken = gl.gather(2, inputs.unsqueeze(1).expand(b, t, t));                            // [B, s, t] ℓₛ[tokₜ]
        var hidden = final.bmm(ge.transpose(1, 2));                                                      // [B, s, t] hₛ·gₜ
        using var two = 2.0.ToScalar();
        squared.add_(headAtToken.mul(hidden).sum([1, 2]).to(ScalarType.Float64), two);                  // 2 × the cross term
        return (losses, squared);
    }

    /// <summary>X Xᵀ per patient: <c>[B, T, n]</c> → <c>[B, T, T]</c>.</summary>
    private static Tensor Gram(Tensor x) => x.bmm(x.transpose(1, 2));

    /// <summary>Whether every trained parameter of <paramref name="model"/> sits in a Linear, a LayerNorm or one of the two embeddings.</summary>
    public static bool Covers(Gpt2LmHeadNet model) => Modules(model) is not null;

    /// <summary>The model's Linear layers, LayerNorms (with names) and embeddings; <see langword="null"/> when a trained parameter sits elsewhere.</summary>
    private static (List<Linear> Linears, List<(string Name, LayerNorm Module)> Norms, Embedding Wte, Embedding Wpe)? Modules(Gpt2LmHeadNet model)
    {
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var linears = modules.Values.OfType<Linear>().ToList();
        var norms = modules.Where(m => m.Value is LayerNorm).Select(m => (Name: m.Key, Module: (LayerNorm)m.Value)).ToList();
        if (modules.GetValueOrDefault("transformer.wte") is not Embedding wte || modules.GetValueOrDefault("transformer.wpe") is not Embedding wpe)
        {
            return null;
        }

        var covered = linears.SelectMany(l => l.parameters()).Concat(norms.SelectMany(n => n.Module.parameters()))
            .Concat(wte.parameters()).Concat(wpe.parameters()).Select(p => p.Handle).ToHashSet();
        return model.parameters().Where(p => p.requires_grad).All(p => covered.Contains(p.Handle)) ? (linears, norms, wte, wpe) : null;
    }
}
