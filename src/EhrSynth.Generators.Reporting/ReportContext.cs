namespace EhrSynth.Generators.Reporting;

/// <summary>What a report says about how its numbers were made.</summary>
/// <param name="Title">The report's title.</param>
/// <param name="Details">Lines for the "Setup" section: data, split, budgets, machine.</param>
public sealed record ReportContext(string Title, IReadOnlyList<string>? Details = null);
