using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>Options of <see cref="MimicIVLoader"/>.</summary>
public sealed class MimicIVLoadOptions
{
    /// <summary>
    /// Which ICD versions to keep. The default value is <see cref="IcdVersionPolicy.Both"/>: MIMIC-IV holds both
    /// (ICD-9-CM before October 2015, ICD-10-CM after), each code marked with its version (<c>9:401</c>, <c>10:I10</c>).
    /// </summary>
    public IcdVersionPolicy Versions { get; set; } = IcdVersionPolicy.Both;

    /// <summary>
    /// How codes are grouped into columns. The default value is <see cref="CodeGrouping.ThreeDigit"/>: ICD-9 with
    /// medGAN's rule, ICD-10-CM to its three-character category (<c>E119</c> → <c>E11</c>).
    /// </summary>
    public CodeGrouping Grouping { get; set; } = CodeGrouping.ThreeDigit;

    /// <summary>Column order. The default value is <see cref="CodeOrder.FirstSeen"/> (medGAN).</summary>
    public CodeOrder ColumnOrder { get; set; } = CodeOrder.FirstSeen;

    /// <summary>
    /// What to do with a patient who has admissions but no diagnosis kept (none recorded, or all of the other ICD
    /// version). The default value is <see cref="EmptyPatientPolicy.Skip"/>, counted in the load report: MIMIC-IV has
    /// such patients, and a dataset of diagnoses has nothing to say about them.
    /// </summary>
    public EmptyPatientPolicy EmptyPatients { get; set; } = EmptyPatientPolicy.Skip;
}
