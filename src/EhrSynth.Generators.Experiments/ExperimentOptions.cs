using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Metrics.Suite;
using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Experiments;

/// <summary>What a comparison runs on and with. Validated once, before any work, listing every problem.</summary>
public sealed class ExperimentOptions : IValidatableObject
{
    /// <summary>The families to train, in report order (registered by the caller).</summary>
    [Required]
    [MinLength(1)]
    public required IReadOnlyList<GeneratorFamily> Families { get; init; }

    /// <summary>The data to split into training and holdout patients.</summary>
    [Required]
    public required EhrDataset Data { get; init; }

    /// <summary>What to call the data in the report. The default value is <c>"data"</c>.</summary>
    public string DataName { get; init; } = "data";

    /// <summary>The preset every family trains with (<see cref="GeneratorFamily.Quick"/>, <see cref="GeneratorFamily.Long"/> or <see cref="GeneratorFamily.Paper"/>). The default value is <c>quick</c>.</summary>
    [Required]
    public string Budget { get; init; } = GeneratorFamily.Quick;

    /// <summary>
    /// The seeds: each draws its own split, training, sampling and metric randomness, and the report gives mean ± sd over
    /// them. The default value is [1].
    /// </summary>
    [Required]
    [MinLength(1)]
    public IReadOnlyList<int> Seeds { get; init; } = [1];

    /// <summary>Share of patients used for training (the rest is the holdout). The default value is 0.8.</summary>
    [Range(0.05, 0.95)]
    public double TrainFraction { get; init; } = 0.8;

    /// <summary>
    /// How many patients each model generates. The default value is <see langword="null"/>: as many as the holdout, the
    /// set every metric compares with (larger samples change the metrics only by sampling noise, docs/metrics.md).
    /// </summary>
    [Range(1, 10_000_000)]
    public int? GenerateCount { get; init; }

    /// <summary>Overrides every family's final-phase epochs, for tiny runs. The default value is <see langword="null"/>.</summary>
    [Range(1, 1_000_000)]
    public int? Epochs { get; init; }

    /// <summary>The report folder, written whole at the end (never over files EhrSynth did not write). The default value is <c>ehrsynth-report</c>.</summary>
    [Required]
    public string OutputFolder { get; init; } = "ehrsynth-report";

    /// <summary>Write each model's synthetic patients as a long CSV with titles into the report folder. The default value is <see langword="true"/>.</summary>
    public bool WriteSyntheticData { get; init; } = true;

    /// <summary>The device. The default value is <see cref="ComputeDevice.Auto"/>.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;

    /// <summary>
    /// Changes a family's options after its preset (and the epoch override) is applied: for example a pretrained
    /// checkpoint for the LLM. Returns the options to use. The default value is <see langword="null"/>.
    /// </summary>
    public Func<GeneratorFamily, EhrGeneratorOptions, EhrGeneratorOptions>? ConfigureOptions { get; init; }

    /// <summary>The metrics. The default value is <see langword="null"/>: <see cref="MetricSuite.CreateDefault"/>.</summary>
    public MetricSuite? Suite { get; init; }

    /// <summary>Loggers for the generators and metrics. The default value is <see langword="null"/> (no logging).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Lines added to the report's setup section (for example what the caller changed).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// Makes the comparison a size study: each listed family (by name) is a point of the series it maps to (families
    /// not listed stay in the comparison but out of the study), and the report folder gets the table and figure of quality against parameters and training compute
    /// (<see cref="Reporting.ScalingStudy"/>, <c>scaling.md</c> and <c>scaling.png</c>). The default value is
    /// <see langword="null"/> (no size study).
    /// </summary>
    public IReadOnlyDictionary<string, string>? ScalingSeries { get; init; }

    /// <summary>
    /// Makes the comparison a privacy sweep: each listed family (by name) is a point of its family's line at an ε, or
    /// that family's non-private row (ε <see langword="null"/>), and the report folder gets the table and the figure of
    /// utility against ε (<see cref="Reporting.PrivacySweep"/>, <c>privacy-sweep.md</c> and <c>privacy-sweep.png</c>).
    /// The default value is <see langword="null"/> (no sweep).
    /// </summary>
    public IReadOnlyDictionary<string, Reporting.PrivacyPoint>? PrivacyPoints { get; init; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Families is null || Seeds is null)
        {
            yield break;
        }

        foreach (var f in Families.Where(f => !f.HasPreset(Budget)))
        {
            yield return new ValidationResult($"{f.DisplayName} has no '{Budget}' preset (it has {string.Join(", ", f.Presets)}).", [nameof(Budget)]);
        }

        if (Families.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != Families.Count)
        {
            yield return new ValidationResult("A family is listed twice.", [nameof(Families)]);
        }

        if (Seeds.Distinct().Count() != Seeds.Count)
        {
            yield return new ValidationResult($"A seed is listed twice ({string.Join(", ", Seeds)}).", [nameof(Seeds)]);
        }

        if (ScalingSeries is not null && !Families.Any(f => ScalingSeries.ContainsKey(f.Name)))
        {
            yield return new ValidationResult("The size study (ScalingSeries) names none of the families.", [nameof(ScalingSeries)]);
        }

        if (PrivacyPoints is not null && !Families.Any(f => PrivacyPoints.TryGetValue(f.Name, out var p) && p.Epsilon is > 0))
        {
            yield return new ValidationResult("The privacy sweep (PrivacyPoints) gives no family an ε.", [nameof(PrivacyPoints)]);
        }

        if (Data is { PatientCount: < 4 })
        {
            yield return new ValidationResult($"The data has {Data.PatientCount} patients; a split needs at least 4.", [nameof(Data)]);
        }
    }
}
