namespace EhrSynth.Pipeline;

/// <summary>Training budgets of the comparison.</summary>
public enum Budget
{
    /// <summary>Minutes on 2 CPU cores for every family together (the quickstart).</summary>
    Quick,

    /// <summary>
    /// The quick models trained for longer: about 40 minutes on 2 CPU cores for the five quickstart families together
    /// (docs/results.md lists what each family gets).
    /// </summary>
    Long,

    /// <summary>The paper's settings: epochs, batch sizes and model sizes. Meant for a GPU.</summary>
    Paper,
}
