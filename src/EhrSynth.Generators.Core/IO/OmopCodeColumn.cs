namespace EhrSynth.Generators.IO;

/// <summary>Which column of an OMOP condition table becomes the code.</summary>
public enum OmopCodeColumn
{
    /// <summary><c>condition_concept_id</c>, the standard (mostly SNOMED) concept; 0 ("no matching concept") is skipped and counted.</summary>
    ConceptId,

    /// <summary>
    /// <c>condition_source_value</c>, where many CDMs keep the ICD codes they were built from; grouped like MIMIC's
    /// (see <see cref="OmopLoadOptions.SourceVocabulary"/>). <c>condition_era</c> has no source values.
    /// </summary>
    SourceValue,
}
