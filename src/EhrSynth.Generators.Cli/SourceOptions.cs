using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli;

/// <summary>How a data argument is read (see <see cref="DataSource"/>): the reader defaults unless a flag says otherwise.</summary>
/// <param name="Empty">Patients without codes; <see langword="null"/> for each reader's own default.</param>
/// <param name="Versions">ICD versions kept from MIMIC-IV and OMOP source values.</param>
/// <param name="Grouping">Grouping of ICD codes (MIMIC-III, MIMIC-IV, UCI, OMOP source values).</param>
/// <param name="OmopCodes">The OMOP code column.</param>
/// <param name="OmopTable">The OMOP condition table.</param>
/// <param name="OmopVocabulary">What OMOP source values are.</param>
/// <param name="Threshold">Binarisation threshold of a <c>.npy</c> of probabilities.</param>
internal sealed record SourceOptions(
    EmptyPatientPolicy? Empty = null,
    IcdVersionPolicy Versions = IcdVersionPolicy.Both,
    CodeGrouping Grouping = CodeGrouping.ThreeDigit,
    OmopCodeColumn OmopCodes = OmopCodeColumn.ConceptId,
    OmopConditionTable OmopTable = OmopConditionTable.Auto,
    OmopSourceVocabulary OmopVocabulary = OmopSourceVocabulary.Auto,
    double? Threshold = null);
