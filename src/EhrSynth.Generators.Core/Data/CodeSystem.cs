namespace EhrSynth.Generators.Data;

/// <summary>What the codes of a dataset are, as far as its loader knows: it decides which titles and which public code list apply.</summary>
public enum CodeSystem
{
    /// <summary>Not known (a long CSV of arbitrary codes); <see cref="IcdCodes.DetectSystem"/> can guess from their shape.</summary>
    Unknown,

    /// <summary>ICD-9-CM diagnosis codes without a dot (<c>401</c>, <c>4019</c>, <c>V45</c>, <c>E878</c>).</summary>
    Icd9,

    /// <summary>ICD-10-CM diagnosis codes without a dot (<c>I10</c>, <c>E119</c>).</summary>
    Icd10,

    /// <summary>Both, each marked with its version (<c>9:401</c>, <c>10:I10</c>; <see cref="IcdVersionPolicy.Both"/>).</summary>
    Icd9And10,

    /// <summary>OMOP standard concept ids (<c>320128</c>), titled from the CDM's <c>concept</c> table when it is given.</summary>
    OmopConcept,
}
