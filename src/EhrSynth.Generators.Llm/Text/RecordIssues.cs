namespace EhrSynth.Generators.Llm.Text;

/// <summary>What was wrong with a decoded record (flags).</summary>
[Flags]
public enum RecordIssues
{
    /// <summary>A valid record.</summary>
    None = 0,

    /// <summary>A code that is not in the vocabulary (dropped).</summary>
    UnknownCode = 1,

    /// <summary>A code listed twice (the repeat dropped).</summary>
    Duplicate = 2,

    /// <summary>The text does not follow the sentence template, or a code is empty.</summary>
    Malformed = 4,

    /// <summary>No codes.</summary>
    Empty = 8,

    /// <summary>The output hit the length limit before its end-of-sequence token.</summary>
    Truncated = 16,
}
