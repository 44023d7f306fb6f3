namespace EhrSynth.Generators.Generation;

/// <summary>What a training step's throughput and a fit's <see cref="TrainingCost.Processed"/> count.</summary>
public enum TrainingUnit
{
    /// <summary>Patients (records): every family but the LLM.</summary>
    Samples,

    /// <summary>Target tokens: the LLM, whose steps pack patients of different lengths.</summary>
    Tokens,
}
