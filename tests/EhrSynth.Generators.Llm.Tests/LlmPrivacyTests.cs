using EhrSynth.Generators.Privacy;
using EhrSynth.Generators.Testing;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Llm.Tests;

public class LlmPrivacyTests
{
    [Fact]
    public async Task PrivateFit_TrainsTheWholeNetwork_AndReportsTheGuarantee()
    {
        var data = Fixtures.Public(Fixtures.Structured(patients: 100, codes: 10, seed: 4));
        var options = LlmContractTests.TinyOptions(seed: 1, epochs: 1);
        options.Privacy = new DifferentialPrivacyOptions { NoiseMultiplier = 1.0, Delta = 1e-3 };
        using var llm = new LlmGenerator(options);
        var ghost = new List<double>();
        await llm.FitAsync(data, new SyncProgress<Generation.TrainingProgress>(p => ghost.Add(p.Diagnostics["ghost_clipping"])));
        Assert.All(ghost, x => Assert.Equal(1, x));                            // every step by ghost clipping (TransformerGhostNorms)
        var g = llm.PrivacyGuarantee!;
        Assert.Equal((0.16, 7L), (g.SampleRate, g.Steps));                  // q = 16/100, ⌈100/16⌉ steps
        Assert.Equal(RdpAccountant.Epsilon(1.0, 0.16, 7, 1e-3), g.Epsilon, 12);
        Assert.Equal(20, llm.Generate(20).PatientCount);
    }
}
