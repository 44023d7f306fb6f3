using EhrSynth.Pipeline;

namespace EhrSynth.Cli.Tests;

public class ModelFamiliesTests
{
    [Theory]
    [InlineData("vae", Budget.Quick, null, "Mlp VAE, 10 epochs, batch 500")]
    [InlineData("vae", Budget.Long, null, "Mlp VAE, 200 epochs, batch 500")]
    [InlineData("vae", Budget.Quick, 3, "Mlp VAE, 3 epochs, batch 500")]
    [InlineData("vae", Budget.Paper, null, "the paper's settings: Convolutional VAE, 500 epochs, batch 500")]
    [InlineData("medgan", Budget.Quick, null, "medGAN: 5 autoencoder epochs, 5 GAN epochs, batch 128, Adam 0.0002/β₁ 0.5, sampled fakes")]
    [InlineData("medgan", Budget.Long, null, "medGAN: 20 autoencoder epochs, 40 GAN epochs, batch 128, Adam 0.0002/β₁ 0.5, sampled fakes")]
    [InlineData("medgan", Budget.Paper, null, "the paper's settings: medGAN: 100 autoencoder epochs, 1000 GAN epochs, batch 1,000, Adam 0.001/β₁ 0.9")]
    [InlineData("corgan", Budget.Quick, null, "CorGAN: 1 autoencoder epoch(s), 3 WGAN epoch(s), batch 128, 2 critic updates per generator update (2 when boosted), Adam 0.0002/β₁ 0.5, per-code decoder bias, sampled fakes")]
    [InlineData("corgan", Budget.Long, null, "CorGAN: 20 autoencoder epoch(s), 10 WGAN epoch(s), batch 128, 5 critic updates per generator update (100 when boosted), Adam 0.0002/β₁ 0.5, per-code decoder bias, sampled fakes")]
    [InlineData("ehrdiff", Budget.Long, 7, "EHRDiff (EDM): 256/128/128/128/256 denoiser, 7 epochs, batch 256, 32-level Heun sampler")]
    [InlineData("llm", Budget.Long, null, "GPT-2 'tiny' with the code-level tokenizer, from scratch, 5 epoch(s), T = 1")]
    public void Describe_SaysWhatTheBudgetTrains(string family, Budget budget, int? epochs, string expected) =>
        Assert.Equal(expected, ModelFamilies.Find(family).Describe(budget, epochs));

    [Fact]
    public void EveryFamily_DescribesEveryBudget_AndNamesAreUnique()
    {
        Assert.Equal(ModelFamilies.All.Count, ModelFamilies.All.Select(f => f.Name).Distinct().Count());
        foreach (var family in ModelFamilies.All)
        {
            foreach (var budget in Enum.GetValues<Budget>())
            {
                Assert.False(string.IsNullOrWhiteSpace(family.Describe(budget, null)), $"{family.Name} {budget}");
            }
        }

        Assert.DoesNotContain(ModelFamilies.Quickstart, f => f.Name == "ddpm");
    }
}
