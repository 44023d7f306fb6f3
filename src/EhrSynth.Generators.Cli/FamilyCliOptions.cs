using System.CommandLine;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Cli;

/// <summary>
/// The options families declare for themselves (<see cref="GeneratorFamily.CommandLine"/>), added to <c>train</c> and
/// <c>compare</c> from the catalog and handed back to the families that declared them: the command line knows no family.
/// </summary>
internal sealed class FamilyCliOptions
{
    private readonly List<(Option<string?> Option, List<GeneratorFamily> Families)> _options = [];

    private FamilyCliOptions()
    {
    }

    /// <summary>The options of every family of <paramref name="catalog"/> for <c>train</c> (<paramref name="compare"/> false) or <c>compare</c>.</summary>
    public static FamilyCliOptions For(GeneratorCatalog catalog, bool compare)
    {
        var result = new FamilyCliOptions();
        foreach (var family in catalog)
        {
            foreach (var declared in family.CommandLine is { } cl ? (compare ? cl.CompareOptions : cl.TrainOptions) : [])
            {
                var known = result._options.FirstOrDefault(o => o.Option.Name == declared.Name);
                if (known.Option is null)
                {
                    result._options.Add((new Option<string?>(declared.Name) { Description = declared.Description }, [family]));
                }
                else
                {
                    known.Families.Add(family);
                }
            }
        }

        return result;
    }

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => _options.Select(o => o.Option);

    /// <summary>The values given (option name → text).</summary>
    public IReadOnlyDictionary<string, string> Parse(ParseResult result) =>
        _options.Select(o => (o.Option.Name, Value: result.GetValue(o.Option))).Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value!);

    /// <summary>Applies the given train options to the options of <paramref name="family"/>.</summary>
    /// <exception cref="ArgumentException">An option is not the family's (the message names those that take it), or a value is invalid.</exception>
    public void Apply(GeneratorFamily family, EhrGeneratorOptions options, IReadOnlyDictionary<string, string> values)
    {
        var foreign = values.Keys.Where(k => !Declares(family, k, compare: false)).ToList();
        if (foreign.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, foreign.Select(k => $"{k} is not an option of {family.Name}; it is {Owners(k)}'s.")));
        }

        if (values.Count > 0)
        {
            family.CommandLine!.Apply(options, values);
        }
    }

    /// <summary>
    /// The rows of a comparison after each family's options (<see cref="FamilyCommandLine.Rows"/>), with the series and notes
    /// they add.
    /// </summary>
    /// <exception cref="ArgumentException">A value was given that no chosen family takes, or a family refused one.</exception>
    public FamilyRows Rows(IReadOnlyList<GeneratorFamily> chosen, string budget, IReadOnlyDictionary<string, string> values)
    {
        var problems = new List<string>();
        foreach (string option in values.Keys.Where(k => !chosen.Any(f => Declares(f, k, compare: true))))
        {
            // No compared family takes it: say so, and what its owner would say of the value, in the same error.
            problems.Add($"{option} needs {Owners(option)} among the compared families.");
            var owner = _options.First(o => o.Option.Name == option).Families[0];
            Collect(problems, () => owner.CommandLine!.Rows(owner, budget, values.Where(v => v.Key == option).ToDictionary()));
        }

        var rows = new List<GeneratorFamily>();
        Dictionary<string, string>? series = null;
        var notes = new List<string>();
        foreach (var family in chosen)
        {
            if (family.CommandLine is not { } cl)
            {
                rows.Add(family);
                continue;
            }

            var own = values.Where(v => Declares(family, v.Key, compare: true)).ToDictionary();
            var made = Collect(problems, () => cl.Rows(family, budget, own));
            if (made is null)
            {
                continue;
            }

            rows.AddRange(made.Rows);
            foreach (var (row, label) in made.Series ?? new Dictionary<string, string>())
            {
                (series ??= [])[row] = label;
            }

            if (made.Note is { } note && !notes.Contains(note))
            {
                notes.Add(note);
            }
        }

        return problems.Count > 0
            ? throw new ArgumentException(string.Join(Environment.NewLine, problems.Distinct()))
            : new FamilyRows(rows, series, notes.Count > 0 ? string.Join(Environment.NewLine, notes) : null);
    }

    /// <summary>What <paramref name="rows"/> makes, or <see langword="null"/> with its refusal added to <paramref name="problems"/>.</summary>
    private static FamilyRows? Collect(List<string> problems, Func<FamilyRows> rows)
    {
        try
        {
            return rows();
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
            return null;
        }
    }

    private static bool Declares(GeneratorFamily family, string option, bool compare) =>
        family.CommandLine is { } cl && (compare ? cl.CompareOptions : cl.TrainOptions).Any(o => o.Name == option);

    private string Owners(string option) => string.Join(" or ", _options.First(o => o.Option.Name == option).Families.Select(f => f.Name));
}
