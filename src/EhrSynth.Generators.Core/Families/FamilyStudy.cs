namespace EhrSynth.Generators.Families;

/// <summary>
/// A study a family takes part in (<c>compare --study NAME</c>): report rows of the family that differ in one choice,
/// trained and evaluated like any comparison. Several families may declare a study of the same name (the binarization
/// study of the VAE, medGAN and CorGAN); the study's rows are then theirs together, in catalog order. Hosts find studies
/// here and never by family name.
/// </summary>
public sealed class FamilyStudy
{
    /// <summary>The study's name on the command line (for example <c>decoding</c>).</summary>
    public required string Name { get; init; }

    /// <summary>What the rows compare, in a sentence (for <c>--help</c>).</summary>
    public required string Description { get; init; }

    /// <summary>Options that only this study takes (for example <c>--llm-sizes</c>); the default value is empty.</summary>
    public IReadOnlyList<FamilyOption> Arguments { get; init; } = [];

    /// <summary>
    /// The study's rows, from the family description that declared the study and the values of its
    /// <see cref="Arguments"/> that were given (option name → text).
    /// </summary>
    /// <exception cref="ArgumentException">An argument is invalid; every problem is listed.</exception>
    public required Func<GeneratorFamily, IReadOnlyDictionary<string, string>, IReadOnlyList<GeneratorFamily>> Rows { get; init; }

    /// <summary>
    /// For a study of model sizes: the series a row belongs to (its legend in the size table and figure), or
    /// <see langword="null"/> for a row that is not the study's own. The default value is <see langword="null"/>: no size table.
    /// </summary>
    public Func<GeneratorFamily, string?>? Series { get; init; }
}
