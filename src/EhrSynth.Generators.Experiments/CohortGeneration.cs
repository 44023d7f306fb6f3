using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Experiments;

/// <summary>How one family drew one cohort at one seed in a cohort study.</summary>
/// <param name="Family">The family's display name.</param>
/// <param name="Cohort">The condition as written.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Report">How it was drawn (also when it failed: what was drawn before stopping).</param>
/// <param name="Elapsed">Wall time of the draw.</param>
/// <param name="Failure">Why the family could not draw it (<see cref="CohortUnreachableException"/>), or <see langword="null"/>.</param>
public sealed record CohortGeneration(string Family, string Cohort, int Seed, CohortReport? Report, TimeSpan Elapsed, string? Failure);
