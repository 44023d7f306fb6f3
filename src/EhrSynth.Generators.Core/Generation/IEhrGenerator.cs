using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Generation;

/// <summary>
/// A generative model of binary patient × code data: it learns an <see cref="EhrDataset"/> and samples new patients
/// with the same vocabulary.
/// </summary>
public interface IEhrGenerator : IDisposable
{
    /// <summary>The model's name, for example <c>"VAE"</c> or <c>"medGAN"</c>.</summary>
    string Name { get; }

    /// <summary>Whether the generator has been fitted or loaded.</summary>
    bool IsFitted { get; }

    /// <summary>The vocabulary learned at fit time; <see langword="null"/> before.</summary>
    CodeVocabulary? Vocabulary { get; }

    /// <summary>What the last <see cref="Generate"/> call reported about its output.</summary>
    GenerationReport? LastGenerationReport { get; }

    /// <summary>Trains on <paramref name="trainingData"/>.</summary>
    /// <param name="trainingData">The real patients to learn.</param>
    /// <param name="progress">Receives progress reports; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked at least once per batch.</param>
    /// <exception cref="ArgumentException">The data is empty or unusable.</exception>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    Task FitAsync(EhrDataset trainingData, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Samples <paramref name="count"/> new patients.</summary>
    /// <param name="count">Number of patients, ≥ 1.</param>
    /// <param name="seed">Sampling seed; <see langword="null"/> uses the options' seed (or a random one).</param>
    /// <param name="progress">Receives progress reports; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked at least once per batch or sampling step.</param>
    /// <exception cref="InvalidOperationException">The generator is not fitted.</exception>
    EhrDataset Generate(int count, int? seed = null, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Saves the fitted generator to a folder (written to a temp folder, then renamed).</summary>
    /// <exception cref="InvalidOperationException">The generator is not fitted.</exception>
    void Save(string folder);
}
