using System.CommandLine;
using System.Globalization;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli;

/// <summary>
/// Differentially private training on the command line (<c>--dp-epsilon</c>, <c>--dp-delta</c>, <c>--dp-clip</c>,
/// <c>--dp-batch</c>), through each family's declared <see cref="PrivacyCapability"/> (DP-SGD, or a marginal mechanism
/// such as MST), with the vocabulary replaced by the public category list of the data's coding. See docs/privacy.md.
/// </summary>
internal static class PrivacyCliOptions
{
    /// <summary>δ when <c>--dp-delta</c> is not given.</summary>
    public const double DefaultDelta = 1e-5;

    /// <summary><c>--dp-epsilon</c>, its help naming the families of <paramref name="catalog"/> that declare a private fit and how.</summary>
    public static Option<string?> Epsilon(bool list, GeneratorCatalog catalog)
    {
        string supporting = string.Join("; ", catalog.Where(Supports).GroupBy(f => f.Privacy!.Mechanism).Select(g => $"{g.Key}: {string.Join(", ", g.Select(f => f.DisplayName))}"));
        return new("--dp-epsilon")
        {
            Description = list
                ? $"Differential privacy: comma-separated target ε values (e.g. 1,3,8); one private row per ε for each family that can be private ({supporting}), beside the non-private rows and a private floor."
                : $"Differential privacy: train to this ε ({supporting}; DP-SGD's noise is calibrated before training).",
        };
    }

    public static Option<double?> Delta() => new("--dp-delta") { Description = $"With --dp-epsilon: δ (default {DefaultDelta:G}; must be below 1/N)." };

    public static Option<double?> Clip() => new("--dp-clip") { Description = "With --dp-epsilon: the per-patient gradient norm bound C (default 1)." };

    public static Option<int?> Batch() => new("--dp-batch") { Description = "With --dp-epsilon: the expected batch size of DP-SGD's Poisson batches (default: the family's); larger batches add less noise per patient." };

    /// <summary>The ε values of <c>--dp-epsilon</c>; every problem with the flags in one error.</summary>
    /// <exception cref="ArgumentException">An ε is not a positive number, or --dp-delta / --dp-clip / --dp-batch are given without --dp-epsilon or out of range.</exception>
    public static IReadOnlyList<double> Parse(string? epsilons, double? delta, double? clip, bool list, int? batch = null)
    {
        var problems = new List<string>();
        var values = new List<double>();
        if (epsilons is null)
        {
            if (delta is not null || clip is not null || batch is not null)
            {
                problems.Add("--dp-delta, --dp-clip and --dp-batch need --dp-epsilon.");
            }
        }
        else
        {
            foreach (var part in epsilons.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double e) && e > 0 && double.IsFinite(e))
                {
                    values.Add(e);
                }
                else
                {
                    problems.Add($"--dp-epsilon takes positive numbers (got '{TextSafety.Printable(part, 20)}').");
                }
            }

            if (values.Count == 0 && problems.Count == 0)
            {
                problems.Add("--dp-epsilon is empty.");
            }
            else if (!list && values.Count > 1)
            {
                problems.Add("train takes one --dp-epsilon value; compare takes a list.");
            }
        }

        if (delta is { } d && !(d > 0 && d < 1))
        {
            problems.Add($"--dp-delta must be in (0, 1) (got {d.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (clip is { } c && !(c > 0 && double.IsFinite(c)))
        {
            problems.Add($"--dp-clip must be a positive number (got {c.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (batch is { } b && b < 1)
        {
            problems.Add($"--dp-batch must be a positive integer (got {b.ToString(CultureInfo.InvariantCulture)}).");
        }

        return problems.Count > 0 ? throw new ArgumentException(string.Join(Environment.NewLine, problems)) : values;
    }

    /// <summary>Whether the family declares a private fit (<see cref="GeneratorFamily.Privacy"/>).</summary>
    public static bool Supports(GeneratorFamily family) => family.Privacy is not null;

    /// <summary>The families of <paramref name="catalog"/> that can be private, for messages.</summary>
    public static string SupportingNames(IEnumerable<GeneratorFamily> catalog) => string.Join(", ", catalog.Where(Supports).Select(f => f.Name));

    /// <summary>Makes <paramref name="options"/> private at ε through the family's capability.</summary>
    /// <exception cref="ArgumentException">The family declares no private fit.</exception>
    public static void Apply(GeneratorFamily family, EhrGeneratorOptions options, double epsilon, double? delta, double? clip, int? batch = null)
    {
        var privacy = family.Privacy ?? throw new ArgumentException($"--dp-epsilon: {family.DisplayName} declares no private fit.");
        privacy.Apply(options, new PrivacyTarget(epsilon, delta ?? DefaultDelta) { ClipNorm = clip, ExpectedBatchSize = batch });
    }

    /// <summary>The settings text of a private row, from the family's capability.</summary>
    public static string Describe(GeneratorFamily family, EhrGeneratorOptions options) => family.Privacy?.Describe(options) ?? "";

    /// <summary>
    /// One private variant per ε of each family that can be private, after the non-private rows (a family private by
    /// default shows the same estimator without noise as its non-private row); notes for the others.
    /// </summary>
    public static IReadOnlyList<GeneratorFamily> WithPrivateRows(IReadOnlyList<GeneratorFamily> families, IReadOnlyList<double> epsilons, double? delta, double? clip, Action<string> note, int? batch = null)
    {
        if (epsilons.Count == 0)
        {
            return families;
        }

        foreach (var family in families.Where(f => !Supports(f)))
        {
            note($"note: {family.DisplayName} has no private fit (docs/privacy.md): only its non-private row is shown.");
        }

        var rows = families.Select(f => f.Privacy is { PrivateByDefault: true, WithoutNoise: { } plain } ? f.Variant(f.Name, $"{f.DisplayName} (no noise)", plain) : f).ToList();
        foreach (var family in families.Where(Supports))
        {
            foreach (double eps in epsilons)
            {
                string label = Label(eps);
                rows.Add(family.Variant(PrivateName(family, eps), $"{family.DisplayName} (DP ε = {label})", o => Apply(family, o, eps, delta, clip, batch), o => Describe(family, o)));
            }
        }

        foreach (double eps in epsilons)
        {
            // The private floor: every code's prevalence released with the Gaussian mechanism at the same (ε, δ).
            var floor = Metrics.Baselines.IndependentMarginalsGenerator.Family;
            rows.Add(floor.Variant(PrivateName(floor, eps), $"{floor.DisplayName} (DP ε = {Label(eps)})", o => Apply(floor, o, eps, delta, clip, batch), o => Describe(floor, o)));
        }

        return rows;
    }

    /// <summary>Whether the comparison or fit needs the public vocabulary: a privacy sweep, or a family private by default (MST).</summary>
    public static bool NeedsPublicVocabulary(IReadOnlyList<double> epsilons, IEnumerable<GeneratorFamily> families) =>
        epsilons.Count > 0 || families.Any(f => f.Privacy is { PrivateByDefault: true });

    /// <summary>
    /// The privacy sweep of a comparison with private rows: each supporting family's non-private row and its row at
    /// every ε, on that family's line; <see langword="null"/> without <paramref name="epsilons"/>.
    /// </summary>
    /// <param name="families">The families before <see cref="WithPrivateRows"/> added the private rows.</param>
    /// <param name="epsilons">The ε of the private rows.</param>
    public static IReadOnlyDictionary<string, Reporting.PrivacyPoint>? Points(IReadOnlyList<GeneratorFamily> families, IReadOnlyList<double> epsilons)
    {
        if (epsilons.Count == 0 || !families.Any(Supports))
        {
            return null;
        }

        var points = new Dictionary<string, Reporting.PrivacyPoint>();
        foreach (var family in families.Where(Supports))
        {
            points[family.Name] = new Reporting.PrivacyPoint(family.DisplayName, null);
            foreach (double eps in epsilons)
            {
                points[PrivateName(family, eps)] = new Reporting.PrivacyPoint(family.DisplayName, eps);
            }
        }

        var floor = Metrics.Baselines.IndependentMarginalsGenerator.Family;
        foreach (double eps in epsilons)
        {
            points[PrivateName(floor, eps)] = new Reporting.PrivacyPoint($"{floor.DisplayName} (private floor)", eps);
        }

        return points;
    }

    private static string Label(double epsilon) => epsilon.ToString("G3", CultureInfo.InvariantCulture);

    private static string PrivateName(GeneratorFamily family, double epsilon) => $"{family.Name}-dp{Label(epsilon)}";

    /// <summary>
    /// The data re-indexed onto the public list of categories of its coding (<see cref="EhrDatasets.PublicCategories"/>:
    /// ICD-9, ICD-10-CM, or both marked): the codes that occur in the data are information about its patients, so a
    /// private model may not be built over them. Codes outside the list are dropped, and said so.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The coding has no public list here (OMOP concept ids, codes that are not ICD categories), or most of the data's
    /// code occurrences are outside the list (codes grouped with <c>--grouping full</c>).
    /// </exception>
    public static EhrDataset OnPublicVocabulary(EhrDataset data, CodeSystem system, Action<string> note)
    {
        if (system == CodeSystem.Unknown)
        {
            system = IcdCodes.DetectSystem(data.Vocabulary);
        }

        var vocabulary = EhrDatasets.PublicCategories(system)
            ?? throw new ArgumentException($"--dp-epsilon: a private model takes its columns from a public code list, and the codes of this data ({(system == CodeSystem.OmopConcept ? "OMOP concept ids" : "not ICD-9 or ICD-10-CM categories")}) have none here. Read ICD codes (for OMOP: --omop-codes source) grouped to categories, or train without DP.");
        var counts = data.CodeCounts();
        long occurrences = 0, outside = 0;
        int dropped = 0;
        for (int c = 0; c < data.CodeCount; c++)
        {
            occurrences += counts[c];
            if (counts[c] > 0 && vocabulary.IndexOf(data.Vocabulary[c]) < 0)
            {
                dropped++;
                outside += counts[c];
            }
        }

        if (occurrences > 0 && outside * 2 > occurrences)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"--dp-epsilon: {outside:N0} of {occurrences:N0} code occurrences are not {Describe(system)} categories; a private model is built over the public list of categories, so group the codes (--grouping category) or train without DP."));
        }

        note(string.Create(CultureInfo.InvariantCulture,
            $"DP: every model is built over the {vocabulary.Count:N0} {Describe(system)} categories of the CMS list (public), not over the {data.CodeCount:N0} codes seen in the data{(dropped > 0 ? $"; {dropped} codes outside the list are dropped" : "")}."));
        return data.AlignTo(vocabulary);
    }

    private static string Describe(CodeSystem system) => system switch
    {
        CodeSystem.Icd10 => "ICD-10-CM",
        CodeSystem.Icd9And10 => "ICD-9 and ICD-10-CM",
        _ => "ICD-9",
    };
}
