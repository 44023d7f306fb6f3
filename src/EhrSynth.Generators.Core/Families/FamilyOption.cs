namespace EhrSynth.Generators.Families;

/// <summary>A command-line option a family or one of its studies declares (for example <c>--tokenizer</c>).</summary>
/// <param name="Name">The option as typed, with its dashes: lower case words joined by hyphens.</param>
/// <param name="Description">One or two sentences for <c>--help</c>, saying which family takes it.</param>
public sealed record FamilyOption(string Name, string Description);
