namespace EhrSynth.Generators.Data;

/// <summary>How raw ICD-9 codes become vocabulary columns.</summary>
public enum CodeGrouping
{
    /// <summary>medGAN's rule (<c>process_mimic.py</c>): an <c>E</c> code keeps its first 4 characters, every other code its first 3.</summary>
    ThreeDigit,

    /// <summary>Full codes, as given (no decimal point).</summary>
    Full,
}
