using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>Options of <see cref="OmopLoader"/>.</summary>
public sealed class OmopLoadOptions : IValidatableObject
{
    /// <summary>The condition table. The default value is <see cref="OmopConditionTable.Auto"/>.</summary>
    public OmopConditionTable Table { get; set; } = OmopConditionTable.Auto;

    /// <summary>The code column. The default value is <see cref="OmopCodeColumn.ConceptId"/> (the standard concept).</summary>
    public OmopCodeColumn Codes { get; set; } = OmopCodeColumn.ConceptId;

    /// <summary>What source values are (with <see cref="OmopCodeColumn.SourceValue"/>). The default value is <see cref="OmopSourceVocabulary.Auto"/>.</summary>
    public OmopSourceVocabulary SourceVocabulary { get; set; } = OmopSourceVocabulary.Auto;

    /// <summary>Which ICD versions to keep when source values hold both. The default value is <see cref="IcdVersionPolicy.Both"/> (codes marked <c>9:</c>/<c>10:</c>).</summary>
    public IcdVersionPolicy Versions { get; set; } = IcdVersionPolicy.Both;

    /// <summary>How ICD source values are grouped. The default value is <see cref="CodeGrouping.ThreeDigit"/> (concept ids are never grouped).</summary>
    public CodeGrouping Grouping { get; set; } = CodeGrouping.ThreeDigit;

    /// <summary>Column order. The default value is <see cref="CodeOrder.FirstSeen"/>.</summary>
    public CodeOrder ColumnOrder { get; set; } = CodeOrder.FirstSeen;

    /// <summary>What to do with a person all of whose rows were skipped. The default value is <see cref="EmptyPatientPolicy.Skip"/>, counted in the report.</summary>
    public EmptyPatientPolicy EmptyPatients { get; set; } = EmptyPatientPolicy.Skip;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Codes == OmopCodeColumn.SourceValue && Table == OmopConditionTable.Era)
        {
            yield return new ValidationResult("condition_era has no source values: use Codes = ConceptId, or the condition_occurrence table.", [nameof(Codes), nameof(Table)]);
        }

        if (Codes == OmopCodeColumn.ConceptId && SourceVocabulary != OmopSourceVocabulary.Auto)
        {
            yield return new ValidationResult("SourceVocabulary applies to source values only (Codes = SourceValue).", [nameof(SourceVocabulary), nameof(Codes)]);
        }
    }
}
