namespace EhrSynth.Generators.IO;

/// <summary>Which OMOP CDM table the diagnoses come from.</summary>
public enum OmopConditionTable
{
    /// <summary><c>condition_occurrence</c> when the source has it, else <c>condition_era</c>.</summary>
    Auto,

    /// <summary><c>condition_occurrence</c>: one row per recorded condition, with its source value.</summary>
    Occurrence,

    /// <summary><c>condition_era</c>: spans of one standard condition (no source values).</summary>
    Era,
}
