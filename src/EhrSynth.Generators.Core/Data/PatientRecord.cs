namespace EhrSynth.Generators.Data;

/// <summary>One patient in readable form: an id and the set of diagnosis codes over all visits.</summary>
/// <param name="PatientId">The patient's id (real id for loaded data, a generated id for synthetic data).</param>
/// <param name="Codes">The patient's distinct codes, in vocabulary column order.</param>
public sealed record PatientRecord(string PatientId, IReadOnlyList<string> Codes)
{
    /// <inheritdoc />
    public override string ToString() => $"{PatientId}: {string.Join(", ", Codes)}";
}
