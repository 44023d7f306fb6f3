using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Families;

/// <summary>A <see cref="GeneratorFamily"/> over one options type; a family assembly creates one and exposes it.</summary>
/// <typeparam name="TOptions">The family's options.</typeparam>
/// <example>
/// <code>
/// public static GeneratorFamily&lt;VaeOptions&gt; Family { get; } = new()
/// {
///     Name = "vae", DisplayName = "VAE", Summary = "…",
///     PresetFactories = new Dictionary&lt;string, Func&lt;int?, VaeOptions&gt;&gt; { ["quick"] = VaeOptions.Quick, … },
///     Creator = (o, log) =&gt; new VaeGenerator(o, log?.CreateLogger&lt;VaeGenerator&gt;()),
///     Loader = (folder, vocabulary, device, log, ct) =&gt; VaeGenerator.Load(folder, vocabulary, device, log?.CreateLogger&lt;VaeGenerator&gt;(), ct),
///     Describer = o =&gt; $"{o.Architecture} VAE, {o.Epochs} epochs",
///     EpochSetter = (o, e) =&gt; o.Epochs = e,
/// };
/// </code>
/// </example>
public sealed class GeneratorFamily<TOptions> : GeneratorFamily
    where TOptions : EhrGeneratorOptions
{
    private readonly IReadOnlyDictionary<string, Func<int?, TOptions>> _presets = new Dictionary<string, Func<int?, TOptions>>();

    /// <summary>The named presets: each makes fresh options for a seed.</summary>
    public required IReadOnlyDictionary<string, Func<int?, TOptions>> PresetFactories
    {
        get => _presets;
        init => _presets = value.Count > 0
            ? new Dictionary<string, Func<int?, TOptions>>(value, StringComparer.OrdinalIgnoreCase)
            : throw new ArgumentException("A family needs at least one preset.", nameof(PresetFactories));
    }

    /// <summary>Creates an unfitted generator from options.</summary>
    public required Func<TOptions, ILoggerFactory?, IEhrGenerator> Creator { get; init; }

    /// <summary>Loads a saved generator: folder, expected vocabulary, device, loggers, cancellation.</summary>
    public required Func<string, CodeVocabulary?, ComputeDevice?, ILoggerFactory?, CancellationToken, IEhrGenerator> Loader { get; init; }

    /// <summary>One line describing options.</summary>
    public required Func<TOptions, string> Describer { get; init; }

    /// <summary>Sets the final training phase's epochs.</summary>
    public required Action<TOptions, int> EpochSetter { get; init; }

    /// <inheritdoc />
    public override Type OptionsType => typeof(TOptions);

    /// <inheritdoc />
    public override IReadOnlyList<string> Presets => [.. _presets.Keys];

    /// <inheritdoc cref="GeneratorFamily.CreateOptions"/>
    public TOptions CreatePreset(string preset, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(preset);
        return _presets.TryGetValue(preset, out var create)
            ? create(seed)
            : throw new ArgumentException($"{DisplayName} has no preset '{preset}'; it has {string.Join(", ", Presets)}.", nameof(preset));
    }

    /// <inheritdoc />
    public override EhrGeneratorOptions CreateOptions(string preset, int? seed = null) => CreatePreset(preset, seed);

    /// <inheritdoc />
    public override EhrGeneratorOptions SetEpochs(EhrGeneratorOptions options, int epochs)
    {
        var typed = Typed(options);
        EpochSetter(typed, epochs);
        return typed;
    }

    /// <inheritdoc />
    public override IEhrGenerator Create(EhrGeneratorOptions options, ILoggerFactory? loggerFactory = null) => Creator(Typed(options), loggerFactory);

    /// <inheritdoc />
    public override IEhrGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        Loader(folder, expectedVocabulary, device, loggerFactory, cancellationToken);

    /// <inheritdoc />
    public override string Describe(EhrGeneratorOptions options) => Describer(Typed(options));

    /// <inheritdoc />
    public override GeneratorFamily Variant(string name, string displayName, Action<EhrGeneratorOptions> configure, Func<EhrGeneratorOptions, string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return new GeneratorFamily<TOptions>
        {
            Name = name,
            DisplayName = displayName,
            Summary = Summary,
            PaperCpuHours = PaperCpuHours,
            InDefaultComparison = false,
            Privacy = Privacy,
            Cohorts = Cohorts,
            CommandLine = CommandLine,
            PresetFactories = _presets.ToDictionary(p => p.Key, p => (Func<int?, TOptions>)(seed =>
            {
                var options = p.Value(seed);
                configure(options);
                return options;
            })),
            Creator = Creator,
            Loader = Loader,
            Describer = describe is null ? Describer : o => $"{Describer(o)}; {describe(o)}",
            EpochSetter = EpochSetter,
        };
    }

    private TOptions Typed(EhrGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options as TOptions
            ?? throw new ArgumentException($"{DisplayName} takes {typeof(TOptions).Name}, not {options.GetType().Name}.", nameof(options));
    }
}
