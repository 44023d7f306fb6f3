namespace EhrSynth.Generators.Experiments;

/// <summary>What one family did on one seed.</summary>
/// <param name="Family">The display name.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Settings">One line describing the options it trained with.</param>
/// <param name="Training">Training wall time.</param>
/// <param name="Generation">Generation wall time.</param>
/// <param name="Generated">Patients generated.</param>
/// <param name="Cost">Parameters and data processed by the fit, when the generator reports them (<see cref="Generation.ITrainingCostSource"/>).</param>
/// <param name="Privacy">The fit's differential-privacy guarantee (ε, δ, σ, q, steps, C), when it was trained with DP-SGD (<see cref="Privacy.IDifferentiallyPrivate"/>).</param>
/// <param name="Notes">What the fit did beyond its options (<see cref="Generation.IFitNotes"/>): a model sized to the data, records left out or cut.</param>
public sealed record FamilyRun(string Family, int Seed, string Settings, TimeSpan Training, TimeSpan Generation, int Generated, Generation.TrainingCost? Cost = null, Privacy.PrivacyGuarantee? Privacy = null, IReadOnlyList<string>? Notes = null);
