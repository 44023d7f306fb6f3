using EhrSynth.Generators.Llm.Gpt2;
using EhrSynth.Generators.Llm.Gpt2.Modules;
using EhrSynth.Generators.Llm.Training;
using EhrSynth.Generators.Testing;
using EhrSynth.Generators.Torch;
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
    [Fact]
    public void ClippedGradientSum_OverChunks_EqualsMicrobatchesOfOne()
    {
        // Σᵢ clip(∇ᵢ) two ways: a backward pass per patient (DpSgd.ClippedGradientSum), and ghost norms over two padded
        // chunks with the weighted backward accumulated across them (GhostClipping) — C at the median norm, so that
        // both branches of the clip run.
        using var scope = NewDisposeScope();
        manual_seed(5);
        var config = new Gpt2Config { VocabSize = 19, Positions = 16, Embedding = 8, Layers = 1, Heads = 2, EmbeddingDropout = 0, AttentionDropout = 0, ResidualDropout = 0 };
        var model = new Gpt2LmHeadNet(config);
        model.InitializeWeights();
        model.train();
        long[][] rows = [[5, 7, 7, 9, 1, 7, 3, 3, 2], [4, 4, 6, 2, 8], [11, 3, 12, 3, 3, 20 % 19, 1], [2, 9, 1], [6, 6, 6, 6, 5, 4]];
        (Tensor Inputs, Tensor Targets) Padded(int[] patients)
        {
            int length = patients.Max(p => rows[p].Length) - 1;
            var inputs = zeros([patients.Length, length], ScalarType.Int64);
            var targets = full([patients.Length, length], -100L, ScalarType.Int64);
            for (int b = 0; b < patients.Length; b++)
            {
                for (int t = 0; t < rows[patients[b]].Length - 1; t++)
                {
                    inputs[b, t] = rows[patients[b]][t];
                    targets[b, t] = rows[patients[b]][t + 1];
                }
            }

            return (inputs, targets);
        }

        Tensor Loss(Data.EhrDataset _, int patient, Generator __)
        {
            var (inputs, targets) = Padded([patient]);                                                         // [1, L] each
            var logits = model.call(inputs);                                                                   // [1, L, V]
            return nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index: -100);  // []
        }

        IEnumerable<(Tensor, Tensor)> Chunks(int[] batch)
        {
            foreach (var part in new[] { batch[..3], batch[3..] })
            {
                var (inputs, targets) = Padded(part);
                yield return TransformerGhostNorms.Compute(model, inputs, targets)!.Value;
            }
        }

        var data = Fixtures.Structured(patients: rows.Length, codes: 4, seed: 1);
        var plain = new PrivateObjective(Loss, [.. model.parameters()], _ => { });
        var ghostly = plain with { GhostNorms = (_, batch, _) => Chunks(batch) };
        int[] all = [0, 1, 2, 3, 4];
        using var rng = new Generator(1);
        var norms = all.Select(i => Math.Sqrt(DpSgd.ClippedGradientSum(plain, data, [i], double.PositiveInfinity, rng).Sums.Sum(g => g.pow(2).sum().item<float>()))).Order().ToList();
        double clip = norms[2];

        var (naive, naiveLoss) = DpSgd.ClippedGradientSum(plain, data, all, clip, rng);
        Assert.True(GhostClipping.TryClippedGradientSum(ghostly, data, all, clip, rng, out var ghost, out double ghostLoss));
        Assert.Equal(naiveLoss, ghostLoss, 4);
        for (int k = 0; k < naive.Length; k++)
        {
            double scale = naive[k].abs().max().item<float>();
            Assert.True(naive[k].allclose(ghost[k], rtol: 1e-4, atol: 1e-5 * scale), $"parameter {k} differs");
        }
    }
}
