namespace EhrSynth.Generators.Torch;

/// <summary>What one optimisation step reports: its losses and statistics, and how much it processed.</summary>
/// <param name="Losses">Values by name (for example <c>loss</c>, <c>d_loss</c>); each must be finite, or the fit stops as diverged.</param>
/// <param name="Processed">Items processed, for the throughput; <see langword="null"/> for the phase's batch size.</param>
/// <param name="Unit">What <paramref name="Processed"/> counts: <c>samples</c> (patients) or <c>tokens</c>.</param>
public readonly record struct StepResult(IReadOnlyDictionary<string, double> Losses, long? Processed = null, string Unit = StepResult.Samples)
{
    /// <summary>The unit of patient-level steps.</summary>
    public const string Samples = "samples";

    /// <summary>The unit of token-level steps (the LLM).</summary>
    public const string Tokens = "tokens";
}
