using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Families;

/// <summary>
/// A family's own command-line options: the command line adds <see cref="TrainOptions"/> to <c>train</c> and
/// <see cref="CompareOptions"/> to <c>compare</c>, and hands their values to the family that declared them, so it never
/// knows a family by name. A value given for a family that does not declare the option is refused, naming the
/// families that do.
/// </summary>
public sealed class FamilyCommandLine
{
    /// <summary>Options of <c>train</c>; the default value is empty.</summary>
    public IReadOnlyList<FamilyOption> TrainOptions { get; init; } = [];

    /// <summary>
    /// Applies the given <see cref="TrainOptions"/> (option name → text) to a fresh set of the family's options.
    /// </summary>
    /// <exception cref="ArgumentException">A value is invalid or values conflict; every problem is listed.</exception>
    public Action<EhrGeneratorOptions, IReadOnlyDictionary<string, string>> Apply { get; init; } = (_, _) => { };

    /// <summary>Options of <c>compare</c>; the default value is empty.</summary>
    public IReadOnlyList<FamilyOption> CompareOptions { get; init; } = [];

    /// <summary>
    /// The rows a comparison row of the family becomes at a budget with the given <see cref="CompareOptions"/> (option
    /// name → text; possibly none). Called for every row of a family that declares it. The default keeps the row.
    /// </summary>
    /// <exception cref="ArgumentException">A value is invalid; every problem is listed.</exception>
    public Func<GeneratorFamily, string, IReadOnlyDictionary<string, string>, FamilyRows> Rows { get; init; } = (family, _, _) => new FamilyRows([family]);
}
