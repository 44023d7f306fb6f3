using EhrSynth.Generators.Families;
using EhrSynth.Generators.Gan.MedGan;
using EhrSynth.Generators.Vae;

namespace EhrSynth.Generators.Cli.Tests;

public class FamilyDescriptionTests
{
    [Theory]
    [InlineData("vae", "quick", null, "Mlp VAE, 4 epochs, batch 500, decoder bias at the training log-odds")]
    [InlineData("vae", "long", null, "Mlp VAE, 200 epochs, batch 500, decoder bias at the training log-odds")]
    [InlineData("vae", "quick", 3, "Mlp VAE, 3 epochs, batch 500, decoder bias at the training log-odds")]
    [InlineData("vae", "paper", null, "Convolutional VAE, 500 epochs, batch 500, thresholded at 0.5")]
    [InlineData("medgan", "quick", null, "medGAN: 3 autoencoder epochs, 2 GAN epochs, batch 256, Adam 0.0004/β₁ 0.5, sampled fakes, prevalence-calibrated")]
    [InlineData("medgan", "long", null, "medGAN: 20 autoencoder epochs, 40 GAN epochs, batch 128, Adam 0.0002/β₁ 0.5, sampled fakes, prevalence-calibrated")]
    [InlineData("corgan", "quick", null, "CorGAN: 1 autoencoder epoch(s), 1 WGAN epoch(s), batch 256, 2 critic updates per generator update (2 when boosted), Adam 0.0004/β₁ 0.5, per-code decoder bias, sampled fakes, prevalence-calibrated")]
    [InlineData("medgan", "paper", null, "medGAN: 100 autoencoder epochs, 1000 GAN epochs, batch 1,000, Adam 0.001/β₁ 0.9, thresholded at 0.5")]
    [InlineData("corgan", "long", null, "CorGAN: 20 autoencoder epoch(s), 10 WGAN epoch(s), batch 128, 5 critic updates per generator update (100 when boosted), Adam 0.0002/β₁ 0.5, per-code decoder bias, sampled fakes, prevalence-calibrated")]
    [InlineData("ehrdiff", "long", 7, "EHRDiff (EDM): 256/128/128/128/256 denoiser, 7 epochs, batch 256, 32-level Heun sampler, per-code thresholds matched to the training prevalences")]
    [InlineData("llm", "quick", null, "GPT-2 'tiny' with the code-level tokenizer, from scratch, 1 epoch(s), T = 1, constrained decoding, sentence \"Diagnostic Code(s) {codes}\"")]
    [InlineData("llm", "long", null, "GPT-2 'tiny' with the code-level tokenizer, from scratch, 5 epoch(s), T = 1, constrained decoding")]
    public void Describe_SaysWhatThePresetTrains(string family, string preset, int? epochs, string expected)
    {
        var f = BuiltInFamilies.Catalog.Find(family);
        var options = f.CreateOptions(preset, seed: 1);
        if (epochs is { } e)
        {
            options = f.SetEpochs(options, e);
        }

        Assert.Equal(expected, f.Describe(options));
    }

    [Fact]
    public void EveryFamily_HasTheThreePresets_UniqueNames_AndCreatesWhatItNames_AsItDeclares()
    {
        var catalog = BuiltInFamilies.Catalog;
        Assert.Equal(catalog.Count, catalog.Select(f => f.Name).Distinct().Count());
        foreach (var family in catalog)
        {
            Assert.Equal([GeneratorFamily.Quick, GeneratorFamily.Long, GeneratorFamily.Paper], family.Presets);
            foreach (var preset in family.Presets)
            {
                var options = family.CreateOptions(preset, seed: 3);
                Assert.Equal(3, options.Seed);
                Assert.IsType(family.OptionsType, options);
                Assert.False(string.IsNullOrWhiteSpace(family.Describe(options)));
            }

            using var generator = family.Create(family.CreateOptions(GeneratorFamily.Quick));
            Assert.Equal(family.DisplayName, generator.Name);
            Assert.Equal(family.Cohorts, Assert.IsAssignableFrom<Generation.ICohortGenerator>(generator).CohortMethod);   // the capability says what the generator does
        }

        Assert.Equal(
            ["vae Rejection", "medgan Rejection", "corgan Rejection", "ehrdiff Inpainting", "ddpm Inpainting", "llm Prompt", "mst ExactConditional"],
            catalog.Select(f => $"{f.Name} {f.Cohorts}"));
        Assert.Equal(Generation.CohortMethod.ExactConditional, Metrics.Baselines.IndependentMarginalsGenerator.Family.Cohorts);

        Assert.DoesNotContain(catalog.Where(f => f.InDefaultComparison), f => f.Name == "ddpm");
    }

    [Fact]
    public void Catalog_RefusesDuplicates_AndNamesTheKnownFamiliesOnUnknownOnes()
    {
        Assert.Throws<ArgumentException>(() => new GeneratorCatalog([VaeGenerator.Family, VaeGenerator.Family]));
        var e = Assert.Throws<ArgumentException>(() => BuiltInFamilies.Catalog.Find("gan9000"));
        Assert.Contains("vae, medgan, corgan, ehrdiff, ddpm, llm", e.Message, StringComparison.Ordinal);
        Assert.Same(MedGanGenerator.Family, BuiltInFamilies.Catalog.Find("medGAN"));
        Assert.Throws<ArgumentException>(() => VaeGenerator.Family.CreateOptions("enormous"));
        Assert.Throws<ArgumentException>(() => VaeGenerator.Family.Describe(new MedGanOptions()));
    }
}
