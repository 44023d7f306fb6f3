using EhrSynth.Generators.Data;
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
        Family("vae", VaeGenerator.FamilyName,
            VaeOptions.Quick,
            seed => With(VaeOptions.Quick(seed), o => o.Epochs = 200),
            seed => new VaeOptions { Seed = seed },
            (o, e) => o.Epochs = e,
            o => new VaeGenerator(o),
            (folder, vocabulary) => VaeGenerator.Load(folder, vocabulary),
            o => Invariant($"{o.Architecture} VAE, {o.Epochs} epochs, batch {o.BatchSize}"),
            paperCpuHours: 500 * 57_214 / 540.0 / 3600),
        Family("medgan", MedGanGenerator.FamilyName,
            MedGanOptions.Quick,
            seed => With(MedGanOptions.Quick(seed), o => (o.PretrainEpochs, o.Epochs) = (20, 40)),
            seed => new MedGanOptions { Seed = seed },
            (o, e) => o.Epochs = e,
            o => new MedGanGenerator(o),
            (folder, vocabulary) => MedGanGenerator.Load(folder, vocabulary),
            o => Invariant($"medGAN: {o.PretrainEpochs} autoencoder epochs, {o.Epochs} GAN epochs, batch {o.BatchSize:N0}, Adam {o.LearningRate:G3}/β₁ {o.AdamBeta1}{(o.SampledFakes ? ", sampled fakes" : "")}"),
            paperCpuHours: 1_000 * 6.0 / 3600),
        Family("corgan", CorGanGenerator.FamilyName,
            CorGanOptions.Quick,
            seed => With(CorGanOptions.Quick(seed), o => (o.PretrainEpochs, o.Epochs, o.CriticSteps, o.BoostedCriticSteps) = (20, 10, 5, 100)),
            seed => new CorGanOptions { Seed = seed },
            (o, e) => o.Epochs = e,
            o => new CorGanGenerator(o),
            (folder, vocabulary) => CorGanGenerator.Load(folder, vocabulary),
            o => Invariant($"CorGAN: {o.PretrainEpochs} autoencoder epoch(s), {o.Epochs} WGAN epoch(s), batch {o.BatchSize}, {o.CriticSteps} critic updates per generator update ({o.BoostedCriticSteps} when boosted), Adam {o.LearningRate:G3}/β₁ {o.AdamBeta1}{(o.DecoderCodeBias ? ", per-code decoder bias" : "")}{(o.SampledFakes ? ", sampled fakes" : "")}"),
            paperCpuHours: 100 * 60.0 / 3600),
        Family("ehrdiff", EhrDiffGenerator.FamilyName,
            EhrDiffOptions.Quick,
            seed => With(EhrDiffOptions.Quick(seed), o => (o.Epochs, o.SamplerSteps) = (100, 32)),
            seed => new EhrDiffOptions { Seed = seed },
            (o, e) => o.Epochs = e,
            o => new EhrDiffGenerator(o),
            (folder, vocabulary) => EhrDiffGenerator.Load(folder, vocabulary),
            o => Invariant($"EHRDiff (EDM): {string.Join('/', o.HiddenDims)} denoiser, {o.Epochs} epochs, batch {o.BatchSize}, {o.SamplerSteps}-level Heun sampler"),
            paperCpuHours: 5_000 * 56 * 0.2 / 3600),
        Family("ddpm", DdpmGenerator.FamilyName,
            DdpmOptions.Quick,
            seed => With(DdpmOptions.Quick(seed), o => (o.Epochs, o.DdimSteps) = (100, 50)),
            seed => new DdpmOptions { Seed = seed },
            (o, e) => o.Epochs = e,
            o => new DdpmGenerator(o),
            (folder, vocabulary) => DdpmGenerator.Load(folder, vocabulary),
            o => Invariant($"DDPM: {string.Join('/', o.HiddenDims)} denoiser, {o.Epochs} epochs, batch {o.BatchSize}, {(o.Sampler == DdpmSampler.Ddim ? $"{o.DdimSteps}-step DDIM" : $"{o.Timesteps}-step ancestral")}"),
            paperCpuHours: 5_000 * 56 * 0.2 / 3600),
        Family("llm", LlmGenerator.FamilyName,
            LlmOptions.Quick,
            seed => With(LlmOptions.Quick(seed), o => o.Epochs = 5),
            seed => new LlmOptions { Seed = seed },
            (o, e) => o.Epochs = e,
            o => new LlmGenerator(o),
            (folder, vocabulary) => LlmGenerator.Load(folder, vocabulary),
            o => Invariant($"GPT-2 '{o.ModelPreset}' with the {(o.Tokenizer == LlmTokenizer.Code ? "code-level" : "GPT-2 BPE")} tokenizer, {(o.PretrainedPath is null ? "from scratch" : "fine-tuned")}, {o.Epochs} epoch(s), T = {o.Temperature}"),
            paperCpuHours: 200 * 57_214 * 20 / 200.0 / 3600),
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

    private static ModelFamily Family<TOptions>(
        string name,
        string display,
        Func<int?, TOptions> quick,
        Func<int?, TOptions> longer,
        Func<int?, TOptions> paper,
        Action<TOptions, int> setEpochs,
        Func<TOptions, IEhrGenerator> create,
        Func<string, CodeVocabulary?, IEhrGenerator> load,
        Func<TOptions, string> describe,
        double paperCpuHours)
        where TOptions : EhrGeneratorOptions
    {
        TOptions Options(Budget budget, int? seed, int? epochs)
        {
            var options = budget switch
            {
                Budget.Quick => quick(seed),
                Budget.Long => longer(seed),
                Budget.Paper => paper(seed),
                _ => throw new ArgumentOutOfRangeException(nameof(budget), budget, "Unknown budget."),
            };
            if (epochs is { } e)
            {
                setEpochs(options, e);
            }

            return options;
        }

        return new ModelFamily(
            name,
            display,
            (budget, seed, device, epochs) => create(With(Options(budget, seed, epochs), o => o.Device = device)),
            load,
            (budget, epochs) => (budget == Budget.Paper ? "the paper's settings: " : "") + describe(Options(budget, null, epochs)),
            paperCpuHours);
    }

    private static T With<T>(T options, Action<T> change)
    {
        change(options);
        return options;
    }

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
