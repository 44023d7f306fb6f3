namespace EhrSynth.Generators.Families;

/// <summary>The rows a family's command-line options make of one comparison row (<see cref="FamilyCommandLine.Rows"/>).</summary>
/// <param name="Rows">The rows, in order, that replace the family's row.</param>
/// <param name="Series">Row name → series of a size table and figure (for example one point per checkpoint), or <see langword="null"/>.</param>
/// <param name="Note">A note to print before any training (for example that the paper budget has no pretrained checkpoint), or <see langword="null"/>.</param>
public sealed record FamilyRows(IReadOnlyList<GeneratorFamily> Rows, IReadOnlyDictionary<string, string>? Series = null, string? Note = null);
