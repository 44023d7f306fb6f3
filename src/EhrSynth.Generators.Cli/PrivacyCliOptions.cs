using System.CommandLine;
using System.Globalization;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.Diffusion;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Torch;

namespace EhrSynth.Generators.Cli;

/// <summary>
/// Differentially private training on the command line (<c>--dp-epsilon</c>, <c>--dp-delta</c>, <c>--dp-clip</c>):
/// DP-SGD with σ calibrated to the target ε, held-out selection turned off, EHRDiff's and DDPM's calibrated thresholds
/// matched to privately released prevalences (charged to the same ε), and the vocabulary replaced by the public list
/// of ICD-9 categories. See docs/privacy.md.
/// </summary>
internal static class PrivacyCliOptions
{
    /// <summary>δ when <c>--dp-delta</c> is not given.</summary>
    public const double DefaultDelta = 1e-5;

    /// <summary>
    /// z of the prevalence release that EHRDiff's and DDPM's calibrated thresholds use in a private fit: count noise of
    /// standard deviation z·√K = 63 patients at K = 10, for α/800 RDP (the quick EHRDiff's σ at ε = 3 rises from 0.6968 to 0.6973).
    /// </summary>
    public const double PrevalenceNoiseMultiplier = 20;

    public static Option<string?> Epsilon(bool list) => new("--dp-epsilon")
    {
        Description = list
            ? "Differential privacy: comma-separated target ε values (e.g. 1,3,8); one DP-SGD row per ε for each family that supports it (VAE, EHRDiff, DDPM, LLM), beside the non-private rows."
            : "Differential privacy: train with DP-SGD to this ε (VAE, EHRDiff, DDPM and LLM only); σ is calibrated before training.",
    };

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

    /// <summary>Whether the family's options can train privately (the families whose generators implement DP-SGD).</summary>
    public static bool Supports(GeneratorFamily family) =>
        family.OptionsType == typeof(Vae.VaeOptions) || typeof(DiffusionOptions).IsAssignableFrom(family.OptionsType) || family.OptionsType == typeof(Llm.LlmOptions);

    /// <summary>Makes <paramref name="options"/> private at ε and turns off every data-dependent step outside DP-SGD.</summary>
    /// <exception cref="ArgumentException">The family does not train with TorchSharp.</exception>
    public static void Apply(EhrGeneratorOptions options, double epsilon, double? delta, double? clip, int? batch = null)
    {
        if (options is not TorchGeneratorOptions torch)
        {
            throw new ArgumentException($"--dp-epsilon: {options.GetType().Name} does not train with DP-SGD.");
        }

        torch.Privacy = new DifferentialPrivacyOptions { TargetEpsilon = epsilon, Delta = delta ?? DefaultDelta, ClipNorm = clip ?? 1.0, ExpectedBatchSize = batch };
        (torch.ValidationFraction, torch.Selection, torch.EarlyStoppingPatience) = (0, ModelSelection.None, null);
        if (options is DiffusionOptions { CalibrateThresholds: true })
        {
            // The presets' per-code thresholds read the prevalences: they match privately released ones instead.
            torch.Privacy.PrevalenceNoiseMultiplier = PrevalenceNoiseMultiplier;
        }
    }

    /// <summary>The settings text of a private row: "DP-SGD to ε = 3 at δ = 1e-05, C = 1 (…)".</summary>
    public static string Describe(EhrGeneratorOptions options) =>
        options is TorchGeneratorOptions { Privacy: { } p }
            ? string.Create(CultureInfo.InvariantCulture, $"DP-SGD to ε = {p.TargetEpsilon:G3} at δ = {Privacy.PrivacyGuarantee.FormatDelta(p.Delta)}, C = {p.ClipNorm:G3}{(p.ExpectedBatchSize is { } b ? $", expected batch {b}" : "")} (public ICD-9 vocabulary; no held-out selection") +
              (p.PrevalenceNoiseMultiplier is { } z
                  ? string.Create(CultureInfo.InvariantCulture, $"; thresholds matched to prevalences released with z = {z:G3}, K = {p.PrevalenceCodeCap}, inside ε)")
                  : ")")
            : "";

    /// <summary>One private variant per ε of each family that supports DP, after the non-private rows; notes for the others.</summary>
    public static IReadOnlyList<GeneratorFamily> WithPrivateRows(IReadOnlyList<GeneratorFamily> families, IReadOnlyList<double> epsilons, double? delta, double? clip, Action<string> note, int? batch = null)
    {
        if (epsilons.Count == 0)
        {
            return families;
        }

        foreach (var family in families.Where(f => !Supports(f)))
        {
            note($"note: {family.DisplayName} has no DP-SGD (it trains in phases on real data; docs/privacy.md): only its non-private row is shown.");
        }

        var rows = new List<GeneratorFamily>(families);
        foreach (var family in families.Where(Supports))
        {
            foreach (double eps in epsilons)
            {
                string label = Label(eps);
                rows.Add(family.Variant(PrivateName(family, eps), $"{family.DisplayName} (DP ε = {label})", o => Apply(o, eps, delta, clip, batch), Describe));
            }
        }

        return rows;
    }

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
