namespace EhrSynth.Generators.Reporting;

/// <summary>Where a model row sits in a privacy sweep (<see cref="PrivacySweep"/>): its family's line and its ε.</summary>
/// <param name="Series">The line: the family the row belongs to (for example "VAE").</param>
/// <param name="Epsilon">The row's privacy budget ε; <see langword="null"/> for the family's non-private row.</param>
public sealed record PrivacyPoint(string Series, double? Epsilon);
