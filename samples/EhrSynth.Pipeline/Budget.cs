namespace EhrSynth.Pipeline;

/// <summary>Training budgets of the comparison.</summary>
public enum Budget
{
    /// <summary>Minutes on 2 CPU cores for every family together (the quickstart).</summary>
    Quick,

    /// <summary>The paper's settings: epochs, batch sizes and model sizes. Meant for a GPU.</summary>
    Paper,
}
