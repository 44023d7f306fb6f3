using System.CommandLine;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli;

/// <summary>
/// The flags that say how data sources are read (<c>--empty-patients</c>, <c>--icd-versions</c>, <c>--grouping</c>,
/// <c>--omop-*</c>), one set per command; every bad value is listed in one error.
/// </summary>
internal sealed class SourceCliOptions
{
    public Option<string?> Empty { get; } = CliOptions.EmptyPatients();

    public Option<string?> Versions { get; } = new("--icd-versions")
    {
        Description = "MIMIC-IV and OMOP source values: both (the default; codes marked 9:/10: so the versions never collide), 9 or 10.",
    };

    public Option<string?> Grouping { get; } = new("--grouping")
    {
        Description = "ICD codes of MIMIC, UCI and OMOP source values: category (the default: ICD-9 three digits by medGAN's rule, ICD-10-CM three characters) or full.",
    };

    public Option<string?> OmopCodes { get; } = new("--omop-codes")
    {
        Description = "OMOP: concept (condition_concept_id, the default) or source (condition_source_value, grouped as ICD).",
    };

    public Option<string?> OmopTable { get; } = new("--omop-table")
    {
        Description = "OMOP: auto (condition_occurrence, else condition_era; the default), occurrence or era.",
    };

    public Option<string?> OmopVocabulary { get; } = new("--omop-source-vocabulary")
    {
        Description = "OMOP source values: auto (each row's vocabulary from the concept table; the default), icd9, icd10 or as-given.",
    };

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [Empty, Versions, Grouping, OmopCodes, OmopTable, OmopVocabulary];

    /// <summary>The source options given on the command line, or an error listing every bad value.</summary>
    /// <exception cref="ArgumentException">A value is not one of its choices; every problem is listed.</exception>
    public SourceOptions Parse(ParseResult result, double? threshold = null)
    {
        var problems = new List<string>();
        T Pick<T>(Option<string?> option, T fallback, params (string Name, T Value)[] choices)
        {
            if (result.GetValue(option) is not { } text)
            {
                return fallback;
            }

            foreach (var (name, value) in choices)
            {
                if (name.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }

            problems.Add($"{option.Name} must be {string.Join(", ", choices.Select(c => c.Name))} (got '{TextSafety.Printable(text, 20)}').");
            return fallback;
        }

        var empty = Pick<EmptyPatientPolicy?>(Empty, null, ("throw", EmptyPatientPolicy.Throw), ("keep", EmptyPatientPolicy.Keep), ("skip", EmptyPatientPolicy.Skip));
        var options = new SourceOptions(
            empty,
            Pick(Versions, IcdVersionPolicy.Both, ("both", IcdVersionPolicy.Both), ("9", IcdVersionPolicy.Icd9), ("10", IcdVersionPolicy.Icd10)),
            Pick(Grouping, CodeGrouping.ThreeDigit, ("category", CodeGrouping.ThreeDigit), ("full", CodeGrouping.Full)),
            Pick(OmopCodes, OmopCodeColumn.ConceptId, ("concept", OmopCodeColumn.ConceptId), ("source", OmopCodeColumn.SourceValue)),
            Pick(OmopTable, OmopConditionTable.Auto, ("auto", OmopConditionTable.Auto), ("occurrence", OmopConditionTable.Occurrence), ("era", OmopConditionTable.Era)),
            Pick(OmopVocabulary, OmopSourceVocabulary.Auto, ("auto", OmopSourceVocabulary.Auto), ("icd9", OmopSourceVocabulary.Icd9), ("icd10", OmopSourceVocabulary.Icd10), ("as-given", OmopSourceVocabulary.AsGiven)),
            threshold);
        if (options.OmopCodes == OmopCodeColumn.SourceValue && options.OmopTable == OmopConditionTable.Era)
        {
            problems.Add("--omop-codes source needs condition_occurrence: condition_era has no source values.");
        }

        if (options.OmopCodes == OmopCodeColumn.ConceptId && options.OmopVocabulary != OmopSourceVocabulary.Auto)
        {
            problems.Add("--omop-source-vocabulary applies to source values: add --omop-codes source.");
        }

        if (threshold is not null and (<= 0 or > 1 or double.NaN))
        {
            problems.Add($"--threshold must be in (0, 1] (got {threshold}).");
        }

        return problems.Count == 0 ? options : throw new ArgumentException(string.Join(" ", problems));
    }
}
