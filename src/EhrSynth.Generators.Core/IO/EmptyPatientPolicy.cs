namespace EhrSynth.Generators.IO;

/// <summary>What a reader does with a patient who ends up with no codes.</summary>
public enum EmptyPatientPolicy
{
    /// <summary>Throw an <see cref="EhrDataFormatException"/> naming the patient.</summary>
    Throw,

    /// <summary>Leave the patient out; the load report counts it.</summary>
    Skip,

    /// <summary>Keep the patient as an all-zero row; the load report counts it.</summary>
    Keep,
}
