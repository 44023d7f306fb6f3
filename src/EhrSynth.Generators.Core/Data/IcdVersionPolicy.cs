namespace EhrSynth.Generators.Data;

/// <summary>Which ICD versions a source that holds both (MIMIC-IV, OMOP source values) contributes to the dataset.</summary>
public enum IcdVersionPolicy
{
    /// <summary>
    /// Both versions, each code marked with its version (<c>9:401</c>, <c>10:I10</c>) so that the two never collide:
    /// ICD-9 <c>V30</c> (liveborn infant) and ICD-10 <c>V30</c> (a three-wheeled motor vehicle accident) are different
    /// columns. Titles say the rest (see <see cref="IcdCodes"/>).
    /// </summary>
    Both,

    /// <summary>ICD-9-CM rows only, codes unmarked (<c>401</c>); ICD-10 rows are skipped and counted.</summary>
    Icd9,

    /// <summary>ICD-10-CM rows only, codes unmarked (<c>I10</c>); ICD-9 rows are skipped and counted.</summary>
    Icd10,
}
