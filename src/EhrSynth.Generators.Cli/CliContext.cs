using System.Globalization;
using System.Text.Json;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli;

/// <summary>What every command shares: the writers, whether the console is interactive, and the family catalog.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, bool interactive, GeneratorCatalog families, IReadOnlyList<GeneratorFamily> defaultFamilies)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Interactive { get; } = interactive;

    public GeneratorCatalog Families { get; } = families;

    public IReadOnlyList<GeneratorFamily> DefaultFamilies { get; } = defaultFamilies;

    /// <summary>A line on standard error, with control characters from inputs shown as escapes.</summary>
    public void Note(string line) => Error.WriteLine(TextSafety.Printable(line, 4_000));

    public void WriteJson(object value) => Output.WriteLine(JsonSerializer.Serialize(value, Json));

    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
