using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Families;

/// <summary>
/// What a generator family says about itself, once: its names, its options type and named presets (by convention
/// <see cref="Quick"/>, <see cref="Long"/> and <see cref="Paper"/>), how to create a generator from options and load a
/// saved one, and one line describing a set of options. The experiment pipeline and the command line know families only
/// through these descriptions, which an application registers explicitly (a <see cref="GeneratorCatalog"/>); nothing
/// is discovered by reflection. See docs/extending.md.
/// </summary>
public abstract class GeneratorFamily
{
    /// <summary>The preset that fits the quickstart: minutes on 2 CPU cores.</summary>
    public const string Quick = "quick";

    /// <summary>The quick model trained longer (tens of minutes on 2 CPU cores): the long rows of docs/results.md.</summary>
    public const string Long = "long";

    /// <summary>The paper's and its reference implementation's settings; meant for a GPU.</summary>
    public const string Paper = "paper";

    private protected GeneratorFamily()
    {
    }

    /// <summary>The command-line name: lower case, no spaces (for example <c>vae</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The name in saved manifests and report rows (for example <c>VAE</c>); equals the generator's <see cref="IEhrGenerator.Name"/>.</summary>
    public required string DisplayName { get; init; }

    /// <summary>One line: what the family is.</summary>
    public required string Summary { get; init; }

    /// <summary>The options type.</summary>
    public abstract Type OptionsType { get; }

    /// <summary>The preset names, in a sensible order (quick first).</summary>
    public abstract IReadOnlyList<string> Presets { get; }

    /// <summary>
    /// Rough CPU hours of the <see cref="Paper"/> preset on the embedded UCI data with 2 cores, for the warning the
    /// command line prints; <see langword="null"/> when unknown.
    /// </summary>
    public double? PaperCpuHours { get; init; }

    /// <summary>
    /// Whether a comparison trains the family when the caller names no families (the command line's <c>compare</c>). The
    /// default value is <see langword="true"/>.
    /// </summary>
    public bool InDefaultComparison { get; init; } = true;

    /// <summary>
    /// How the family is fitted with differential privacy, when it can be (see <see cref="PrivacyCapability"/>); hosts
    /// read this rather than knowing families. The default value is <see langword="null"/>: no private fit.
    /// </summary>
    public PrivacyCapability? Privacy { get; init; }

    /// <summary>
    /// How the family's generators draw a cohort (<see cref="Generation.ICohortGenerator"/>): every family built on
    /// <see cref="Generation.EhrGeneratorBase{TOptions}"/> samples cohorts, by rejection unless it conditions natively.
    /// Hosts and reports read this rather than knowing families. The default value is
    /// <see cref="Generation.CohortMethod.Rejection"/>.
    /// </summary>
    public Generation.CohortMethod Cohorts { get; init; } = Generation.CohortMethod.Rejection;

    /// <summary>The studies the family takes part in (<c>compare --study</c>). The default value is empty.</summary>
    public IReadOnlyList<FamilyStudy> Studies { get; init; } = [];

    /// <summary>The family's own command-line options, or <see langword="null"/> (the default) when it has none.</summary>
    public FamilyCommandLine? CommandLine { get; init; }

    /// <summary>Whether the family has a preset of that name (case-insensitive).</summary>
    public bool HasPreset(string preset) => Presets.Contains(preset, StringComparer.OrdinalIgnoreCase);

    /// <summary>New options of a preset.</summary>
    /// <exception cref="ArgumentException">The family has no such preset (the message lists those it has).</exception>
    public abstract EhrGeneratorOptions CreateOptions(string preset, int? seed = null);

    /// <summary>
    /// Sets the final training phase's epochs of <paramref name="options"/> to <paramref name="epochs"/> (for short runs)
    /// and returns the same options: it changes the object it is given (its name said "With" until issue #33).
    /// </summary>
    /// <exception cref="ArgumentException">The options are of another family.</exception>
    public abstract EhrGeneratorOptions SetEpochs(EhrGeneratorOptions options, int epochs);

    /// <summary>An unfitted generator.</summary>
    /// <exception cref="ArgumentException">The options are of another family.</exception>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid; every problem is listed.</exception>
    public abstract IEhrGenerator Create(EhrGeneratorOptions options, ILoggerFactory? loggerFactory = null);

    /// <summary>
    /// Loads a generator of this family saved with <see cref="IEhrGenerator.Save"/>, on <paramref name="device"/>; a load
    /// waiting for another generator to leave libtorch's process-wide state honours <paramref name="cancellationToken"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder holds no saved generator.</exception>
    /// <exception cref="InvalidDataException">The folder holds another family or is malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public abstract IEhrGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default);

    /// <summary>One line saying what a set of options trains (architecture, epochs, batch, departures from the reference).</summary>
    /// <exception cref="ArgumentException">The options are of another family.</exception>
    public abstract string Describe(EhrGeneratorOptions options);

    /// <summary>
    /// A variant of the family for its own report rows (for example "VAE (DP ε = 3)"): every preset is the family's, then
    /// <paramref name="configure"/>d; its description appends <paramref name="describe"/>'s text; it is never in the
    /// default comparison.
    /// </summary>
    /// <param name="name">The variant's command-line name.</param>
    /// <param name="displayName">The variant's row name.</param>
    /// <param name="configure">Changes a preset's fresh options (throws when the family cannot take the change).</param>
    /// <param name="describe">What to append to the description line, or <see langword="null"/>.</param>
    public abstract GeneratorFamily Variant(string name, string displayName, Action<EhrGeneratorOptions> configure, Func<EhrGeneratorOptions, string>? describe = null);

    /// <inheritdoc />
    public override string ToString() => Name;
}
