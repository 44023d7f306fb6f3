using System.CommandLine;
using System.Globalization;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.Experiments;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli;

/// <summary>
/// The cohort study of <c>compare --study cohorts</c>: the chosen families (the default comparison, or
/// <c>--families</c>) each trained once per seed and asked for every cohort (<see cref="CohortStudy"/>).
/// </summary>
internal static class CohortCliOptions
{
    /// <summary>The study's name after <c>--study</c>.</summary>
    public const string StudyName = "cohorts";

    public static Option<string?> Cohorts() => new("--cohorts")
    {
        Description = "With --study cohorts: the cohorts, separated by ';', each a comma-separated list of codes a patient must have, "
                      + "a code with a leading '-' one it may not have (for example \"428;428,-250;042\"). Default on UCI Diabetes: 428; 428,-250; 424; 042; 191.",
    };

    public static Option<int?> Size() => new("--cohort-size") { Description = "With --study cohorts: patients each family generates per cohort (default 1,000)." };

    public static Option<double?> MinAcceptance() => new("--min-acceptance")
    {
        Description = "With --study cohorts: the lowest acceptance rate the families that sample cohorts by rejection wait for (default 0.0001).",
    };

    /// <summary>Whether <paramref name="study"/> names the cohort study.</summary>
    public static bool IsStudy(string? study) => study?.Trim().Equals(StudyName, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Every misuse of the cohort options, in one error.</summary>
    /// <exception cref="ArgumentException">A cohort option without the study, or the study with an option it cannot take.</exception>
    public static void Check(string? study, (string? Cohorts, int? Size, double? MinAcceptance) options, (string? Epsilon, int? GenerateCount) other)
    {
        var problems = new List<string>();
        bool cohorts = IsStudy(study);
        if (!cohorts)
        {
            problems.AddRange(new[] { options.Cohorts is null ? null : "--cohorts", options.Size is null ? null : "--cohort-size", options.MinAcceptance is null ? null : "--min-acceptance" }
                .OfType<string>().Select(o => $"{o} needs --study cohorts."));
        }
        else
        {
            if (other.Epsilon is not null)
            {
                problems.Add("--study cohorts trains without differential privacy: leave out --dp-epsilon.");
            }

            if (other.GenerateCount is not null)
            {
                problems.Add("--study cohorts generates --cohort-size patients per cohort: leave out --generate-count.");
            }

            if (options.Size is { } n && n is < 10 or > 10_000_000)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"--cohort-size must be between 10 and 10,000,000 (got {n:N0})."));
            }

            if (options.MinAcceptance is { } m && !(m > 0 && m <= 1))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"--min-acceptance must be in (0, 1] (got {m})."));
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }
    }

    /// <summary>The cohorts: parsed from <paramref name="text"/>, or UCI's when the data is the embedded UCI set.</summary>
    /// <exception cref="ArgumentException">The text is malformed, or no cohorts were given for other data.</exception>
    public static IReadOnlyList<CohortCondition> Parse(string? text, string dataSpec)
    {
        if (text is null)
        {
            bool uci = dataSpec.Equals("uci", StringComparison.OrdinalIgnoreCase) || dataSpec.Equals(EhrDatasets.UciDiabetes130Name, StringComparison.OrdinalIgnoreCase);
            return uci
                ? CohortStudyOptions.UciCohorts
                : throw new ArgumentException("--study cohorts needs --cohorts for this data (the default cohorts are UCI Diabetes codes), for example --cohorts \"428;428,-250\".");
        }

        var cohorts = new List<CohortCondition>();
        foreach (var part in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var codes = part.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var with = codes.Where(c => !c.StartsWith('-')).ToArray();
            var without = codes.Where(c => c.StartsWith('-')).Select(c => c[1..].Trim()).ToArray();
            if (without.Any(c => c.Length == 0))
            {
                throw new ArgumentException($"--cohorts: '{TextSafety.Printable(part, 40)}' has a '-' without a code.");
            }

            cohorts.Add(new CohortCondition(with, without));
        }

        return cohorts.Count > 0 ? cohorts : throw new ArgumentException("--cohorts names no cohort.");
    }
}
