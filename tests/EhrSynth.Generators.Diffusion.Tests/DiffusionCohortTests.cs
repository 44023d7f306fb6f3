using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Diffusion.Tests;

/// <summary>
/// Inpainting draws from the model's own conditional: the codes that go with a required one come with it as often as
/// in the model's unconditional records that have it (what rejection would return), and likewise for an excluded one.
/// </summary>
public class DiffusionCohortTests
{
    [Fact]
    public async Task Inpainting_MatchesTheModelsOwnConditional_AsRejectionWouldDrawIt()
    {
        // Blocks of 4 codes occur together: records with C012 mostly have C013; records without C000 rarely C001.
        var data = Fixtures.Structured(patients: 1_200, codes: 16, seed: 11);
        using var model = new EhrDiffGenerator(EhrDiffContractTests.ForLearning(trained: true));
        await model.FitAsync(data);
        static double Rate(Data.EhrDataset d, string code) => d.Records.Count(r => r.Codes.Contains(code)) / (double)d.PatientCount;
        static Data.EhrDataset Where(Data.EhrDataset d, Func<int, bool> keep) => d.Subset([.. Enumerable.Range(0, d.PatientCount).Where(keep)]);
        var everyone = model.Generate(4_000, seed: 2);
        var own12 = Where(everyone, p => everyone.HasCode(p, 12));
        var ownWithout0 = Where(everyone, p => !everyone.HasCode(p, 0));

        var with12 = model.GenerateCohort(CohortCondition.Having("C012"), 1_000, seed: 3);
        Assert.Equal(CohortMethod.Inpainting, model.LastGenerationReport!.Cohort!.Method);
        var without0 = model.GenerateCohort(CohortCondition.Parse(null, "C000"), 1_000, seed: 4);

        Assert.True(Rate(own12, "C013") > Rate(everyone, "C013") + 0.15, $"the model's P(C013 | C012) {Rate(own12, "C013"):F2}, P(C013) {Rate(everyone, "C013"):F2}");
        Assert.InRange(Rate(with12, "C013"), Rate(own12, "C013") - 0.06, Rate(own12, "C013") + 0.06);
        Assert.InRange(Rate(without0, "C001"), Rate(ownWithout0, "C001") - 0.06, Rate(ownWithout0, "C001") + 0.06);
    }
}
