namespace EhrSynth.Generators.Llm;

/// <summary>What to do with training patients whose sentence needs more positions than a fixed-size model has (a pretrained checkpoint, or an explicit <see cref="LlmOptions.Model"/>).</summary>
public enum LlmLongRecords
{
    /// <summary>Refuse before training, saying how many patients are too long, the longest, and this option.</summary>
    Refuse,

    /// <summary>Leave the long patients out of training; counted in the fit's notes and the report.</summary>
    Drop,

    /// <summary>
    /// Keep each long patient with as many of its codes as fit (a random subset, seeded by the fit); the codes left out
    /// are counted in the fit's notes and the report.
    /// </summary>
    Truncate,
}
