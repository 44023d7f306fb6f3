using EhrSynth.Generators.Reporting;

namespace EhrSynth.Generators.Experiments;

/// <summary>The outcome of a <see cref="CohortStudy"/>.</summary>
/// <param name="Cohorts">Each cohort's comparison over the seeds.</param>
/// <param name="Generations">Every family's draw of every cohort at every seed.</param>
/// <param name="Training">Every family's training run per seed.</param>
/// <param name="TablePath">The written <see cref="CohortStudyReport.TableFile"/>.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record CohortStudyResult(IReadOnlyList<CohortStudyCohort> Cohorts, IReadOnlyList<CohortGeneration> Generations, IReadOnlyList<FamilyRun> Training, string TablePath, TimeSpan Elapsed);
