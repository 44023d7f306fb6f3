using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Llm.Gpt2.Modules;
using EhrSynth.Generators.Llm.Training;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm.Tests;

/// <summary>Ghost norms for GPT-2 against the naive way: each patient's own backward pass and the norm of its gradient.</summary>
public class TransformerGhostNormsTests
{
    [Fact]
    public void GhostNorms_EqualEachPatientsOwnGradientNorm_TiedHeadAndPaddingIncluded()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var config = new Gpt2Config { VocabSize = 23, Positions = 16, Embedding = 12, Layers = 2, Heads = 3, EmbeddingDropout = 0, AttentionDropout = 0, ResidualDropout = 0 };
        var model = new Gpt2LmHeadNet(config);
        model.InitializeWeights();
        model.train();
        // Three patients of lengths 9, 5 and 7 (padded with token 0, targets −100 past each end); repeated tokens exercise
        // the embedding's same-token terms.
        long[][] rows = [[5, 7, 7, 9, 1, 7, 3, 3, 2], [4, 4, 6, 2, 8], [11, 3, 12, 3, 3, 20, 1]];
        int length = rows.Max(r => r.Length) - 1;
        var inputs = zeros([3, length], ScalarType.Int64);
        var targets = full([3, length], -100L, ScalarType.Int64);
        for (int b = 0; b < 3; b++)
        {
            for (int t = 0; t < rows[b].Length - 1; t++)
            {
                inputs[b, t] = rows[b][t];
                targets[b, t] = rows[b][t + 1];
            }
        }

        var (losses, squared) = TransformerGhostNorms.Compute(model, inputs, targets)!.Value;

        for (int b = 0; b < 3; b++)
        {
            model.zero_grad();
            var logits = model.call(inputs[b..(b + 1)]);                                                   // [1, L, V]
            var loss = nn.functional.cross_entropy(logits.flatten(0, 1), targets[b..(b + 1)].flatten(), ignore_index: -100);
            loss.backward();
            double naive = model.parameters().Sum(p => p.grad is { } g ? g.pow(2).sum().item<float>() : 0);
            Assert.Equal(loss.item<float>(), losses[b].item<float>(), 4);
            Assert.Equal(1.0, squared[b].item<double>() / naive, 4);                                         // relative, to 1e-4
        }
    }
}
