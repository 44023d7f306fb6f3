using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>Options of <see cref="MimicIIILoader"/>.</summary>
public sealed class MimicLoadOptions
{
    /// <summary>How codes are grouped into columns. The default value is <see cref="CodeGrouping.ThreeDigit"/> (medGAN).</summary>
    public CodeGrouping Grouping { get; set; } = CodeGrouping.ThreeDigit;

    /// <summary>Column order. The default value is <see cref="CodeOrder.FirstSeen"/> (medGAN).</summary>
    public CodeOrder ColumnOrder { get; set; } = CodeOrder.FirstSeen;

    /// <summary>
    /// What to do with a patient whose admissions have no diagnosis codes. The default value is
    /// <see cref="EmptyPatientPolicy.Throw"/> (medGAN's script fails on such a patient too).
    /// </summary>
    public EmptyPatientPolicy EmptyPatients { get; set; } = EmptyPatientPolicy.Throw;
}
