namespace EhrSynth.Generators.Generation;

/// <summary>The lower-case names results files use for a <see cref="TrainingUnit"/> (<c>samples</c>, <c>tokens</c>).</summary>
public static class TrainingUnits
{
    /// <summary>The name of <paramref name="unit"/> as results files write it.</summary>
    public static string Name(this TrainingUnit unit) => unit == TrainingUnit.Tokens ? "tokens" : "samples";

    /// <summary>The unit a results file names.</summary>
    /// <exception cref="FormatException">The name is neither <c>samples</c> nor <c>tokens</c>.</exception>
    public static TrainingUnit Parse(string name) => name switch
    {
        "samples" => TrainingUnit.Samples,
        "tokens" => TrainingUnit.Tokens,
        _ => throw new FormatException($"'{name}' is not a training unit (samples or tokens)."),
    };
}
