using EhrSynth.Generators.Metrics.Suite;

namespace EhrSynth.Generators.Reporting;

/// <summary>One cohort of a cohort study: its condition, its real sizes per seed, and the comparison against its holdout patients.</summary>
/// <param name="Condition">The condition as written ("with 428; without 250").</param>
/// <param name="TrainPatients">Training patients in the cohort, per seed (the cohort floor's and the ceiling's source).</param>
/// <param name="HoldoutPatients">Holdout patients in the cohort, per seed (what every row is judged against).</param>
/// <param name="Report">The rows over the seeds: the cohort floor, the pairwise reference fitted to the training cohort, each family's cohort, the ceiling.</param>
/// <param name="Generation">Per family: how its cohorts were drawn (method, and the acceptance rate or effective draws over the seeds), for the table.</param>
public sealed record CohortStudyCohort(string Condition, IReadOnlyList<int> TrainPatients, IReadOnlyList<int> HoldoutPatients, SeedSweepReport Report, IReadOnlyDictionary<string, string> Generation);
