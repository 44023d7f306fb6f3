namespace EhrSynth.Generators.IO;

/// <summary>What the <c>condition_source_value</c>s of an OMOP source are, which decides how they are grouped.</summary>
public enum OmopSourceVocabulary
{
    /// <summary>
    /// From the <c>concept</c> table: the <c>vocabulary_id</c> of each row's <c>condition_source_concept_id</c>
    /// (<c>ICD9CM</c>, <c>ICD10CM</c>; rows of other vocabularies are skipped and counted). Without a <c>concept</c>
    /// table the values are kept as given, and the load report says so.
    /// </summary>
    Auto,

    /// <summary>Every source value is an ICD-9-CM code (dotted or not); values that are not are skipped and counted.</summary>
    Icd9,

    /// <summary>Every source value is an ICD-10-CM code (dotted or not); values that are not are skipped and counted.</summary>
    Icd10,

    /// <summary>Values as given (trimmed), not grouped.</summary>
    AsGiven,
}
