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
}
