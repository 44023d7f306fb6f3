using System.Collections;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Families;

/// <summary>
/// The families an application knows, in report order: looked up by command-line or display name, and by a saved
/// generator's manifest. The application builds it from the descriptions it registers.
/// </summary>
public sealed class GeneratorCatalog : IReadOnlyList<GeneratorFamily>
{
    private readonly List<GeneratorFamily> _families;

    /// <summary>Creates a catalog.</summary>
    /// <exception cref="ArgumentException">Two families share a name or a display name, or a name is not lower case without spaces.</exception>
    public GeneratorCatalog(IEnumerable<GeneratorFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        _families = [.. families];
        var problems = new List<string>();
        foreach (var f in _families)
        {
            if (string.IsNullOrWhiteSpace(f.Name) || f.Name != f.Name.ToLowerInvariant() || f.Name.Any(c => char.IsWhiteSpace(c) || c == ','))
            {
                problems.Add($"'{f.Name}' is not a command-line name (lower case, no spaces or commas)");
            }
        }

        problems.AddRange(_families.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"the name '{g.Key}' is used twice"));
        problems.AddRange(_families.GroupBy(f => f.DisplayName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"the display name '{g.Key}' is used twice"));
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid family catalog: {string.Join("; ", problems)}.", nameof(families));
        }
    }

    /// <inheritdoc />
    public int Count => _families.Count;

    /// <summary>The command-line names, comma-separated (for help texts and errors).</summary>
    public string Names => string.Join(", ", _families.Select(f => f.Name));

    /// <inheritdoc />
    public GeneratorFamily this[int index] => _families[index];

    /// <summary>A family by command-line or display name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No family has that name; the message lists the known ones.</exception>
    public GeneratorFamily Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _families.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || f.DisplayName.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown model family '{TextSafety.Printable(name, 40)}'. Known: {Names}.", nameof(name));
    }

    /// <summary>The family of a saved generator.</summary>
    /// <exception cref="InvalidDataException">No family of the catalog wrote it; the message lists the known ones.</exception>
    public GeneratorFamily ForManifest(GeneratorManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return _families.FirstOrDefault(f => f.DisplayName == manifest.Family)
            ?? throw new InvalidDataException($"This program cannot load a '{TextSafety.Printable(manifest.Family, 40)}' generator; it knows {string.Join(", ", _families.Select(f => f.DisplayName))}.");
    }

    /// <summary>Loads a saved generator of any family of the catalog.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no saved generator.</exception>
    /// <exception cref="InvalidDataException">No family of the catalog wrote it, or it is malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while the load waited.</exception>
    public IEhrGenerator Load(string folder, CodeVocabulary? expectedVocabulary = null, ComputeDevice? device = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        ForManifest(GeneratorManifest.Read(folder)).Load(folder, expectedVocabulary, device, loggerFactory, cancellationToken);

    /// <inheritdoc />
    public IEnumerator<GeneratorFamily> GetEnumerator() => _families.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
