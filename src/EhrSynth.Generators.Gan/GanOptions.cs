using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Gan;

/// <summary>Options every GAN has: what to do about mode collapse, the known failure of GANs.</summary>
public abstract class GanOptions : ProbabilisticGeneratorOptions
{
    /// <summary>
    /// After a fit, sample 2,000 records and compare them with 2,000 training records: fewer than half as many distinct
    /// records, or more than half of the codes never generated, is logged as mode collapse and noted in every
    /// generation report. The default value is <see langword="true"/>.
    /// </summary>
    public bool CheckModeCollapse { get; set; } = true;

    /// <summary>Throw <see cref="ModeCollapseException"/> instead of only warning. The default value is <see langword="false"/>.</summary>
    public bool FailOnModeCollapse { get; set; }

    /// <summary>
    /// Show the discriminator (critic) Bernoulli samples of the generated probabilities instead of the probabilities,
    /// with a straight-through gradient to the generator. Real records are 0/1 and generated ones are probabilities, so
    /// the references' discriminators can tell them apart by that alone: medGAN's stays above 98 % accurate on UCI
    /// Diabetes and its generator never learns the marginals. With 0/1 records on both sides the discriminator has to
    /// compare which codes occur together. Not in the references. The default value is <see langword="false"/> (the
    /// references); the quick presets turn it on.
    /// </summary>
    public bool SampledFakes { get; set; }

    /// <summary>
    /// β₁ of the generator's and the discriminator's Adam (the autoencoder's keeps 0.9). The default value is 0.9 (the
    /// references use their framework's default); the quick presets use 0.5, the usual GAN setting (Radford et al. 2016).
    /// </summary>
    [Range(0.0, 0.999)]
    public double AdamBeta1 { get; set; } = 0.9;

    /// <summary>
    /// After training, shift each code's log-odds by one learned offset so that the generated prevalences equal the
    /// training prevalences (<see cref="PrevalenceCalibration"/>, fitted on <see cref="CalibrationSamples"/> sampled
    /// records). A GAN's adversarial phase moves the marginals while it learns which codes occur together; the offsets
    /// put the marginals back and keep each record's relative likelihoods. Not in the references; requires
    /// <see cref="ProbabilisticGeneratorOptions.Binarization"/> = Bernoulli. The default value is <see langword="false"/>.
    /// </summary>
    public bool CalibratePrevalence { get; set; }

    /// <summary>Records sampled after training to fit <see cref="CalibratePrevalence"/>. The default value is 10,000.</summary>
    [Range(100, 1_000_000)]
    public int CalibrationSamples { get; set; } = 10_000;

    /// <inheritdoc />
    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var r in base.Validate(validationContext))
        {
            yield return r;
        }

        if (CalibratePrevalence && Binarization != Generation.BinarizationMode.Bernoulli)
        {
            yield return new ValidationResult($"CalibratePrevalence needs Binarization = Bernoulli (got {Binarization}).", [nameof(CalibratePrevalence), nameof(Binarization)]);
        }
    }
}
