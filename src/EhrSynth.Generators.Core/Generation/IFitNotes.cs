namespace EhrSynth.Generators.Generation;

/// <summary>
/// A generator that says what its last fit did beyond its options — a model sized to the data, records left out or
/// cut to fit — so that reports name it (a departure is never silent).
/// </summary>
public interface IFitNotes
{
    /// <summary>One sentence per thing done; empty when the fit did exactly what the options say.</summary>
    IReadOnlyList<string> FitNotes { get; }
}
