using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Vae;

namespace EhrSynth.Pipeline;

/// <summary>The families this build knows, in report order.</summary>
public static class ModelFamilies
{
    /// <summary>Every family.</summary>
    public static IReadOnlyList<ModelFamily> All { get; } =
    [
        new("vae", "VAE",
            (budget, seed, device) => new VaeGenerator(WithDevice(budget == Budget.Quick ? VaeOptions.Quick(seed) : new VaeOptions { Seed = seed }, device)),
            (folder, vocabulary) => VaeGenerator.Load(folder, vocabulary),
            "MLP VAE, 25 epochs, batch 500",
            PaperCpuHours: 500 * 57_214 / 540.0 / 3600),
    ];

    /// <summary>Finds a family by name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static ModelFamily Find(string name) =>
        All.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || f.Display.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown model family '{name}'. Known: {string.Join(", ", All.Select(f => f.Name))}.");

    /// <summary>Finds the family of a saved generator by its manifest's family name.</summary>
    public static ModelFamily ForManifest(GeneratorManifest manifest) =>
        All.FirstOrDefault(f => f.Display == manifest.Family)
        ?? throw new InvalidDataException($"This build cannot load a '{manifest.Family}' generator.");

    private static T WithDevice<T>(T options, ComputeDevice device)
        where T : EhrGeneratorOptions
    {
        options.Device = device;
        return options;
    }
}
