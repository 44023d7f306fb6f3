using System.Globalization;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Generation;

/// <summary>
/// A cohort: the codes every record must have and the codes no record may have, written as the data writes them
/// (grouped codes, for example <c>"428"</c>; for data with both ICD versions <c>"9:428"</c>, or <c>"428"</c> when only
/// one version has it). Passed to <see cref="ICohortGenerator.GenerateCohort"/>.
/// </summary>
/// <param name="With">Codes every record must have.</param>
/// <param name="Without">Codes no record may have.</param>
public sealed record CohortCondition(IReadOnlyList<string> With, IReadOnlyList<string> Without)
{
    /// <summary>Records that have every one of <paramref name="codes"/>.</summary>
    public static CohortCondition Having(params string[] codes) => new(codes, []);

    /// <summary>Whether the condition asks for nothing (every record satisfies it).</summary>
    public bool IsEmpty => With.Count == 0 && Without.Count == 0;

    /// <summary>The same condition that also excludes <paramref name="codes"/>.</summary>
    public CohortCondition Excluding(params string[] codes) => this with { Without = [.. Without, .. codes] };

    /// <summary>
    /// Parses the command line's form: comma-separated codes for each list (either may be null or empty). Blank
    /// entries are ignored; codes are trimmed.
    /// </summary>
    public static CohortCondition Parse(string? with, string? without) => new(Split(with), Split(without));

    /// <summary>
    /// The condition over <paramref name="vocabulary"/>'s column indices.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A code is not in the vocabulary (an ICD code of both versions in a marked vocabulary is ambiguous), or a code is
    /// both required and excluded: every problem is listed in one message.
    /// </exception>
    public CohortCodes Resolve(CodeVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var problems = new List<string>();
        int[] required = Indices(With, vocabulary, problems);
        int[] excluded = Indices(Without, vocabulary, problems);
        foreach (int c in required.Intersect(excluded))
        {
            problems.Add($"code '{vocabulary[c]}' is both required and excluded");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The cohort {this} does not fit the model's {vocabulary.Count:N0} codes: {string.Join("; ", problems)}.", nameof(vocabulary));
        }

        return new CohortCodes(required, excluded) { Text = ToString() };
    }

    /// <summary>"with 428, 250; without 401" (or "everyone").</summary>
    public override string ToString() => IsEmpty
        ? "everyone"
        : string.Join("; ", new[] { With.Count > 0 ? "with " + string.Join(", ", With) : null, Without.Count > 0 ? "without " + string.Join(", ", Without) : null }.Where(s => s is not null));

    private static string[] Split(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    private static int[] Indices(IReadOnlyList<string> codes, CodeVocabulary vocabulary, List<string> problems)
    {
        var indices = new SortedSet<int>();
        foreach (var code in codes)
        {
            if (vocabulary.TryGetIndex(code, out int c))
            {
                indices.Add(c);
                continue;
            }

            // A marked vocabulary (9:/10:) holds "9:428"; an unmarked code that only one version has is taken as it.
            var versions = new[] { 9, 10 }.Select(v => IcdCodes.Mark(v, code)).Where(vocabulary.Contains).ToList();
            if (versions.Count == 1)
            {
                indices.Add(vocabulary.IndexOf(versions[0]));
            }
            else
            {
                problems.Add(versions.Count > 1
                    ? string.Create(CultureInfo.InvariantCulture, $"code '{TextSafety.Printable(code, 40)}' is in both ICD versions here: write {string.Join(" or ", versions)}")
                    : $"code '{TextSafety.Printable(code, 40)}' is not in the vocabulary");
            }
        }

        return [.. indices];
    }
}
