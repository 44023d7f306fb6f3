namespace EhrSynth.Generators.Experiments;

/// <summary>The stages of a comparison, in order for each seed.</summary>
public enum ExperimentStage
{
    /// <summary>Splitting the data.</summary>
    Data,

    /// <summary>Training a family.</summary>
    Train,

    /// <summary>Generating with a family.</summary>
    Generate,

    /// <summary>Running the metric suite.</summary>
    Evaluate,

    /// <summary>Writing the report folder.</summary>
    Report,
}
