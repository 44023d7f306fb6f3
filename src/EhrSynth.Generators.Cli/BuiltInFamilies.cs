using EhrSynth.Generators.Diffusion;
using EhrSynth.Generators.Diffusion.Ddpm;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Gan.CorGan;
using EhrSynth.Generators.Gan.MedGan;
using EhrSynth.Generators.Llm;
using EhrSynth.Generators.Marginal;
using EhrSynth.Generators.Vae;

namespace EhrSynth.Generators.Cli;

/// <summary>The families this package ships, registered once: the paper's five, DDPM, and the private marginal model MST.</summary>
public static class BuiltInFamilies
{
    /// <summary>Every built-in family, in report order.</summary>
    public static GeneratorCatalog Catalog { get; } = new(
    [
        VaeGenerator.Family,
        MedGanGenerator.Family,
        CorGanGenerator.Family,
        EhrDiffGenerator.Family,
        DdpmGenerator.Family,
        LlmGenerator.Family,
        MstGenerator.Family,
    ]);

}
