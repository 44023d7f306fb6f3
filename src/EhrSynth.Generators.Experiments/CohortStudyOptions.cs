using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Experiments;

/// <summary>What a cohort study runs: a comparison's setup (families, data, budget, seeds, output) and the cohorts each family generates.</summary>
public sealed class CohortStudyOptions : IValidatableObject
{
    /// <summary>Families, data, budget, seeds, split, device and output folder, as for a comparison.</summary>
    [Required]
    public required ExperimentOptions Experiment { get; init; }

    /// <summary>The cohorts, in table order.</summary>
    [Required]
    [MinLength(1)]
    public required IReadOnlyList<CohortCondition> Cohorts { get; init; }

    /// <summary>Records each family generates per cohort (and the cohort floor samples). The default value is 1,000.</summary>
    [Range(10, 10_000_000)]
    public int CohortSize { get; init; } = 1_000;

    /// <summary>
    /// Limits of rejection sampling. The default accepts down to 0.01 % (10,000 draws per record): a study asks for rare
    /// cohorts on purpose.
    /// </summary>
    [Required]
    public CohortSamplingOptions Sampling { get; init; } = new() { MinimumAcceptance = 1e-4 };

    /// <summary>The cohorts of the study on UCI Diabetes 130-US (docs/results.md): common to rare, one with an exclusion.</summary>
    public static IReadOnlyList<CohortCondition> UciCohorts { get; } =
    [
        CohortCondition.Having("428"),                     // heart failure: 18 % of patients
        CohortCondition.Having("428").Excluding("250"),     // heart failure without the diabetes code 250
        CohortCondition.Having("424"),                     // endocarditis (valve disorders): 2.9 %
        CohortCondition.Having("042"),                     // HIV disease: about 90 training patients
        CohortCondition.Having("191"),                     // brain malignancy: about 45 training patients
    ];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Cohorts is not null && Cohorts.Any(c => c is null || c.IsEmpty))
        {
            yield return new ValidationResult("Every cohort must require or exclude at least one code.", [nameof(Cohorts)]);
        }

        if (Cohorts is not null && Cohorts.Select(c => c?.ToString()).Distinct().Count() != Cohorts.Count)
        {
            yield return new ValidationResult("A cohort is listed twice.", [nameof(Cohorts)]);
        }

        foreach (var problem in Sampling?.Problems() ?? [])
        {
            yield return new ValidationResult(problem, [nameof(Sampling)]);
        }

        if (Experiment is not null && Cohorts is not null)
        {
            foreach (var cohort in Cohorts.Where(c => c is not null && !c.IsEmpty))
            {
                string? problem = null;
                try
                {
                    cohort.Resolve(Experiment.Data.Vocabulary);
                }
                catch (ArgumentException e)
                {
                    problem = e.Message;
                }

                if (problem is not null)
                {
                    yield return new ValidationResult(problem, [nameof(Cohorts)]);
                }
            }
        }
    }
}
