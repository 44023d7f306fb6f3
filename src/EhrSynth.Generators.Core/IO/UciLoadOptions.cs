using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>Options of <see cref="UciDiabetesLoader"/>.</summary>
public sealed class UciLoadOptions
{
    /// <summary>How codes are grouped into columns. The default value is <see cref="CodeGrouping.ThreeDigit"/> (medGAN).</summary>
    public CodeGrouping Grouping { get; set; } = CodeGrouping.ThreeDigit;

    /// <summary>Column order. The default value is <see cref="CodeOrder.FirstSeen"/>.</summary>
    public CodeOrder ColumnOrder { get; set; } = CodeOrder.FirstSeen;

    /// <summary>
    /// What to do with a patient whose diagnoses are all missing (<c>?</c>). The default value is
    /// <see cref="EmptyPatientPolicy.Keep"/>: the published dataset has one such patient among its 71,518,
    /// and the load report counts it.
    /// </summary>
    public EmptyPatientPolicy EmptyPatients { get; set; } = EmptyPatientPolicy.Keep;
}
