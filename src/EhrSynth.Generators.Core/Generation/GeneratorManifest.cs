using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Generation;

/// <summary>
/// The <c>generator.json</c> file of a saved generator: which model it is, its options, its vocabulary and
/// family-specific state. Weights and optimizer state sit beside it.
/// </summary>
public sealed record GeneratorManifest
{
    /// <summary>The manifest's file name inside a generator folder.</summary>
    public const string FileName = "generator.json";

    /// <summary>The format tag.</summary>
    public string Format { get; init; } = "ehrsynth-generator";

    /// <summary>The format version.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>The model's name (<see cref="IEhrGenerator.Name"/>).</summary>
    public required string Family { get; init; }

    /// <summary>The generator's .NET type name.</summary>
    public required string GeneratorType { get; init; }

    /// <summary>The options the generator was created with.</summary>
    public required JsonElement Options { get; init; }

    /// <summary>Vocabulary codes, in column order.</summary>
    public required IReadOnlyList<string> Codes { get; init; }

    /// <summary>Vocabulary titles, aligned with <see cref="Codes"/>, or <see langword="null"/>.</summary>
    public IReadOnlyList<string?>? Titles { get; init; }

    /// <summary>The seed the model was trained with.</summary>
    public int? TrainingSeed { get; init; }

    /// <summary>Family-specific state (for example the training step reached).</summary>
    public Dictionary<string, JsonElement> State { get; init; } = [];

    /// <summary>The vocabulary, rebuilt.</summary>
    public CodeVocabulary ToVocabulary()
    {
        Dictionary<string, string>? titles = null;
        if (Titles is not null && Titles.Count == Codes.Count)
        {
            titles = [];
            for (int i = 0; i < Codes.Count; i++)
            {
                if (Titles[i] is { } t)
                {
                    titles[Codes[i]] = t;
                }
            }
        }

        return new CodeVocabulary(Codes, titles);
    }

    /// <summary>
    /// Reads <c>generator.json</c> from a folder and checks that it is whole: every required field present and of the
    /// right type, a valid vocabulary, titles aligned with it, options that are a JSON object. The file may hold at
    /// most <see cref="InputLimits.MaxJsonBytes"/> bytes and <see cref="InputLimits.MaxCodes"/> codes.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no manifest.</exception>
    /// <exception cref="EhrDataFormatException">The manifest is malformed; the message names the file and the field.</exception>
    public static GeneratorManifest Read(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string path = Path.Combine(folder, FileName);
        if (Directory.Exists(path) || !File.Exists(path))
        {
            throw new FileNotFoundException($"{folder} is not a saved generator: {FileName} is missing.", path);
        }

        if (new FileInfo(path).Length > InputLimits.MaxJsonBytes)
        {
            throw new EhrDataFormatException($"the manifest is larger than {InputLimits.MaxJsonBytes:N0} bytes", path);
        }

        GeneratorManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<GeneratorManifest>(File.ReadAllBytes(path), GeneratorJson.Options);
        }
        catch (JsonException e)
        {
            throw new EhrDataFormatException($"not a valid generator manifest ({e.Message})", path, e.LineNumber + 1, innerException: e);
        }

        if (manifest is null || manifest.Format != "ehrsynth-generator")
        {
            throw new EhrDataFormatException("not an EhrSynth generator manifest", path);
        }

        if (manifest.FormatVersion != 1)
        {
            throw new EhrDataFormatException($"manifest format version {manifest.FormatVersion} is not supported (1 expected)", path);
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(manifest.Family))
        {
            problems.Add("'family' is empty");
        }

        if (manifest.Options.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"'options' is {manifest.Options.ValueKind}, not an object");
        }

        if (manifest.Codes.Count == 0 || manifest.Codes.Count > InputLimits.MaxCodes)
        {
            problems.Add($"'codes' lists {manifest.Codes.Count:N0} codes (1 to {InputLimits.MaxCodes:N0} expected)");
        }

        if (manifest.Titles is { } titles && titles.Count != manifest.Codes.Count)
        {
            problems.Add($"'titles' has {titles.Count:N0} entries for {manifest.Codes.Count:N0} codes");
        }

        if (problems.Count == 0)
        {
            try
            {
                _ = manifest.ToVocabulary();
            }
            catch (ArgumentException e)
            {
                problems.Add($"'codes': {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new EhrDataFormatException($"the manifest is malformed: {string.Join("; ", problems)}", path);
        }

        return manifest;
    }

    /// <summary>Writes <c>generator.json</c> into a folder (atomically).</summary>
    public void Write(string folder) =>
        AtomicFile.Write(Path.Combine(folder, FileName), s => JsonSerializer.Serialize(s, this, GeneratorJson.Options));
}
