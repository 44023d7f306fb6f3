using EhrSynth.Generators.Diffusion;
using EhrSynth.Generators.Diffusion.Ddpm;
using EhrSynth.Generators.Gan.CorGan;
using EhrSynth.Generators.Gan.MedGan;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Llm;
using EhrSynth.Generators.Vae;

namespace EhrSynth.Pipeline;

/// <summary>The families this build knows, in report order, with their quick and paper budgets.</summary>
public static class ModelFamilies
{
    /// <summary>Every family.</summary>
    public static IReadOnlyList<ModelFamily> All { get; } =
    [
        new("vae", VaeGenerator.FamilyName,
            (budget, seed, device, epochs) => new VaeGenerator(Configure(budget == Budget.Quick ? VaeOptions.Quick(seed) : new VaeOptions { Seed = seed }, device, epochs, (o, e) => o.Epochs = e)),
            (folder, vocabulary) => VaeGenerator.Load(folder, vocabulary),
            Summary(VaeOptions.Quick()),
            PaperCpuHours: 500 * 57_214 / 540.0 / 3600),
        new("medgan", MedGanGenerator.FamilyName,
            (budget, seed, device, epochs) => new MedGanGenerator(Configure(budget == Budget.Quick ? MedGanOptions.Quick(seed) : new MedGanOptions { Seed = seed }, device, epochs, (o, e) => o.Epochs = e)),
            (folder, vocabulary) => MedGanGenerator.Load(folder, vocabulary),
            Summary(MedGanOptions.Quick()),
            PaperCpuHours: 1_000 * 6.0 / 3600),
        new("corgan", CorGanGenerator.FamilyName,
            (budget, seed, device, epochs) => new CorGanGenerator(Configure(budget == Budget.Quick ? CorGanOptions.Quick(seed) : new CorGanOptions { Seed = seed }, device, epochs, (o, e) => o.Epochs = e)),
            (folder, vocabulary) => CorGanGenerator.Load(folder, vocabulary),
            Summary(CorGanOptions.Quick()),
            PaperCpuHours: 100 * 60.0 / 3600),
        new("ehrdiff", EhrDiffGenerator.FamilyName,
            (budget, seed, device, epochs) => new EhrDiffGenerator(Configure(budget == Budget.Quick ? EhrDiffOptions.Quick(seed) : new EhrDiffOptions { Seed = seed }, device, epochs, (o, e) => o.Epochs = e)),
            (folder, vocabulary) => EhrDiffGenerator.Load(folder, vocabulary),
            Summary(EhrDiffOptions.Quick()),
            PaperCpuHours: 5_000 * 56 * 0.2 / 3600),
        new("ddpm", DdpmGenerator.FamilyName,
            (budget, seed, device, epochs) => new DdpmGenerator(Configure(budget == Budget.Quick ? DdpmOptions.Quick(seed) : new DdpmOptions { Seed = seed }, device, epochs, (o, e) => o.Epochs = e)),
            (folder, vocabulary) => DdpmGenerator.Load(folder, vocabulary),
            Summary(DdpmOptions.Quick()),
            PaperCpuHours: 5_000 * 56 * 0.2 / 3600),
        new("llm", LlmGenerator.FamilyName,
            (budget, seed, device, epochs) => new LlmGenerator(Configure(budget == Budget.Quick ? LlmOptions.Quick(seed) : new LlmOptions { Seed = seed }, device, epochs, (o, e) => o.Epochs = e)),
            (folder, vocabulary) => LlmGenerator.Load(folder, vocabulary),
            Summary(LlmOptions.Quick()),
            PaperCpuHours: 200 * 57_214 * 20 / 200.0 / 3600),
    ];

    /// <summary>The families the quickstart trains (DDPM is left to the CLI: the paper's diffusion row is EHRDiff).</summary>
    public static IReadOnlyList<ModelFamily> Quickstart { get; } = [.. All.Where(f => f.Name != "ddpm")];

    /// <summary>Finds a family by name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static ModelFamily Find(string name) =>
        All.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || f.Display.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown model family '{name}'. Known: {string.Join(", ", All.Select(f => f.Name))}.");

    /// <summary>Finds the family of a saved generator by its manifest's family name.</summary>
    /// <exception cref="InvalidDataException">No family of this build has that name.</exception>
    public static ModelFamily ForManifest(GeneratorManifest manifest) =>
        All.FirstOrDefault(f => f.Display == manifest.Family)
        ?? throw new InvalidDataException($"This build cannot load a '{manifest.Family}' generator.");

    private static string Summary(VaeOptions o) => Invariant($"{o.Architecture} VAE, {o.Epochs} epochs, batch {o.BatchSize}");

    private static string Summary(MedGanOptions o) =>
        Invariant($"medGAN: {o.PretrainEpochs} autoencoder epochs, {o.Epochs} GAN epochs, batch {o.BatchSize:N0}");

    private static string Summary(CorGanOptions o) =>
        Invariant($"CorGAN: {o.PretrainEpochs} autoencoder epochs, {o.Epochs} WGAN epoch(s), batch {o.BatchSize}");

    private static string Summary(EhrDiffOptions o) =>
        Invariant($"EHRDiff (EDM): {string.Join('/', o.HiddenDims)} denoiser, {o.Epochs} epochs, batch {o.BatchSize}, {o.SamplerSteps}-level Heun sampler");

    private static string Summary(DdpmOptions o) =>
        Invariant($"DDPM: {string.Join('/', o.HiddenDims)} denoiser, {o.Epochs} epochs, batch {o.BatchSize}, {(o.Sampler == DdpmSampler.Ddim ? $"{o.DdimSteps}-step DDIM" : $"{o.Timesteps}-step ancestral")}");

    private static string Summary(LlmOptions o) =>
        Invariant($"GPT-2 '{o.ModelPreset}' with the {(o.Tokenizer == LlmTokenizer.Code ? "code-level" : "GPT-2 BPE")} tokenizer, from scratch, {o.Epochs} epoch(s), T = {o.Temperature}");

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);

    private static T Configure<T>(T options, ComputeDevice device, int? epochs, Action<T, int> setEpochs)
        where T : EhrGeneratorOptions
    {
        options.Device = device;
        if (epochs is { } e)
        {
            setEpochs(options, e);
        }

        return options;
    }
}
