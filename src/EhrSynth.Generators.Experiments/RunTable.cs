using System.Globalization;
using System.Text;

namespace EhrSynth.Generators.Experiments;

/// <summary>
/// What each family of a comparison trained with and how long it took: one row per family with its settings line,
/// its training time on every seed and its mean generation time — the cost beside the quality table.
/// </summary>
public static class RunTable
{
    /// <summary>The Markdown table, families in the order they ran.</summary>
    public static string FormatMarkdown(IReadOnlyList<FamilyRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var c = CultureInfo.InvariantCulture;
        var seeds = runs.Select(r => r.Seed).Distinct().ToList();
        var text = new StringBuilder();
        text.Append(c, $"| family | settings | training s, seed{(seeds.Count > 1 ? "s" : "")} {string.Join(" / ", seeds)} | generated | generation s |\n");
        text.Append("|---|---|---:|---:|---:|\n");
        foreach (var family in runs.GroupBy(r => r.Family))
        {
            var own = family.ToList();
            string training = string.Join(" / ", seeds.Select(s => own.FirstOrDefault(r => r.Seed == s) is { } r ? r.Training.TotalSeconds.ToString("F0", c) : "n/a"));
            string generated = own.Select(r => r.Generated).Distinct().Count() == 1 ? own[0].Generated.ToString("N0", c) : string.Join(" / ", own.Select(r => r.Generated.ToString("N0", c)));
            text.Append(c, $"| {family.Key} | {own[0].Settings.Replace("|", "\\|", StringComparison.Ordinal)} | {training} | {generated} | {own.Average(r => r.Generation.TotalSeconds):F1} |\n");
        }

        return text.ToString();
    }
}
