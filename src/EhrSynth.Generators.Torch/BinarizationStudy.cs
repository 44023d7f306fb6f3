using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// The <c>binarization</c> study (<see cref="GeneratorFamily.Studies"/>) of a family that outputs per-code probabilities
/// (<see cref="ProbabilisticGeneratorOptions"/>): its output thresholded at 0.5 (the references, and <c>--budget paper</c>)
/// and drawn as Bernoulli samples (the quick and long default), each model trained once per row at the same seed.
/// </summary>
public static class BinarizationStudy
{
    /// <summary>The study's name on the command line.</summary>
    public const string Name = "binarization";

    /// <summary>The study for a family; <paramref name="thresholded"/> turns off what a thresholded row cannot keep (a GAN's prevalence calibration).</summary>
    public static FamilyStudy For(Action<EhrGeneratorOptions>? thresholded = null) => new()
    {
        Name = Name,
        Description = "the VAE, medGAN and CorGAN (every family that declares it) with their output thresholded at 0.5 (the references, and --budget paper) and drawn as Bernoulli samples (the quick and long default), each model trained once per row at the same seed",
        Rows = (family, _) =>
        [
            family.Variant($"{family.Name}-threshold", $"{family.DisplayName} (0.5 threshold)", o =>
            {
                ((ProbabilisticGeneratorOptions)o).Binarization = BinarizationMode.Threshold;
                thresholded?.Invoke(o);
            }),
            family.Variant($"{family.Name}-bernoulli", $"{family.DisplayName} (Bernoulli)", o => ((ProbabilisticGeneratorOptions)o).Binarization = BinarizationMode.Bernoulli),
        ],
    };
}
