using System.CommandLine;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli;

/// <summary>
/// The studies of <c>compare --study</c>, found in the family descriptions of the catalog
/// (<see cref="GeneratorFamily.Studies"/>), plus the cohort study every family takes part in: each is a set of rows that
/// differ in one choice, trained and evaluated like any comparison (every row beside the floor and the ceiling, over the
/// given seeds). The command line names no study and no family.
/// </summary>
internal sealed class StudyCliOptions
{
    private readonly GeneratorCatalog _catalog;
    private readonly List<(Option<string?> Option, string Study)> _arguments = [];

    public StudyCliOptions(GeneratorCatalog catalog)
    {
        _catalog = catalog;
        foreach (var study in Declared(catalog))
        {
            foreach (var argument in study.Arguments.Where(a => _arguments.All(o => o.Option.Name != a.Name)))
            {
                _arguments.Add((new Option<string?>(argument.Name) { Description = argument.Description }, study.Name));
            }
        }

        Study = new Option<string?>("--study")
        {
            Description = string.Join("; ", Declared(catalog).Select(s => $"{s.Name}: {s.Description}")
                .Append($"{CohortCliOptions.StudyName}: the chosen families (--families, or the default comparison) each trained once per seed and asked for every cohort of --cohorts, judged against the holdout patients of the cohort beside the cohort floor (independent codes at the training cohort's prevalences) and the training cohort")) + ".",
        };
    }

    /// <summary><c>--study</c>.</summary>
    public Option<string?> Study { get; }

    /// <summary><c>--study</c> and the studies' own options.</summary>
    public IEnumerable<Option> All => [Study, .. _arguments.Select(a => a.Option)];

    /// <summary>The study named, and the values of the study options given.</summary>
    public (string? Name, IReadOnlyDictionary<string, string> Arguments) Parse(ParseResult result) =>
        (result.GetValue(Study)?.Trim().ToLowerInvariant(),
         _arguments.Select(a => (a.Option.Name, Value: result.GetValue(a.Option))).Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value!));

    /// <summary>The rows of a study, or <see langword="null"/> without one (or for the cohort study); every misuse is listed in one error.</summary>
    /// <exception cref="ArgumentException">An unknown study or argument, --families beside --study, or a study option without its study.</exception>
    public IReadOnlyList<GeneratorFamily>? Families(string? study, IReadOnlyDictionary<string, string> arguments, string? familyList)
    {
        var problems = new List<string>();
        foreach (var (option, owner) in _arguments.Where(a => arguments.ContainsKey(a.Option.Name) && a.Study != study))
        {
            problems.Add($"{option.Name} needs --study {owner}.");
        }

        if (study is null || study == CohortCliOptions.StudyName)
        {
            return problems.Count > 0 ? throw new ArgumentException(string.Join(Environment.NewLine, problems)) : null;    // the chosen families
        }

        if (familyList is not null)
        {
            problems.Add("--study chooses the rows itself: leave out --families.");
        }

        var rows = new List<GeneratorFamily>();
        var declaring = _catalog.SelectMany(f => f.Studies.Where(s => s.Name == study).Select(s => (Family: f, Study: s))).ToList();
        if (declaring.Count == 0)
        {
            var names = Declared(_catalog).Select(s => s.Name).Append(CohortCliOptions.StudyName);
            problems.Add($"--study must be {string.Join(", ", names)} (got '{TextSafety.Printable(study, 30)}').");
        }

        foreach (var (family, declared) in declaring)
        {
            var own = arguments.Where(a => declared.Arguments.Any(d => d.Name == a.Key)).ToDictionary(a => a.Key, a => a.Value);
            try
            {
                rows.AddRange(declared.Rows(family, own));
            }
            catch (ArgumentException e)
            {
                problems.Add(e.Message);
            }
        }

        return problems.Count > 0 ? throw new ArgumentException(string.Join(Environment.NewLine, problems)) : rows;
    }

    /// <summary>
    /// The series of each row of a study of sizes (<see cref="FamilyStudy.Series"/>), which makes the comparison write the
    /// size table and figure; <see langword="null"/> for other studies.
    /// </summary>
    /// <exception cref="ArgumentException">A row is not one of the study's own (another option, such as --dp-epsilon, added it).</exception>
    public IReadOnlyDictionary<string, string>? ScalingSeries(string? study, IReadOnlyList<GeneratorFamily> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var declared = Declared(_catalog).FirstOrDefault(s => s.Name == study && s.Series is not null);
        if (declared is null)
        {
            return null;
        }

        var series = new Dictionary<string, string>();
        foreach (var row in rows)
        {
            series[row.Name] = declared.Series!(row)
                ?? throw new ArgumentException($"--study {study} compares its own rows only; '{row.DisplayName}' comes from another option (such as --dp-epsilon, which cannot be combined with it).");
        }

        return series;
    }

    /// <summary>Every study of the catalog, each name once, in catalog order.</summary>
    private static IEnumerable<FamilyStudy> Declared(GeneratorCatalog catalog) =>
        catalog.SelectMany(f => f.Studies).DistinctBy(s => s.Name);
}
