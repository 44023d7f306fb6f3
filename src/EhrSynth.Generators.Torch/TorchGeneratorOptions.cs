using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Torch;

/// <summary>Options shared by every TorchSharp generator: training-loop, checkpoint and selection settings.</summary>
public abstract class TorchGeneratorOptions : EhrGeneratorOptions
{
    /// <summary>
    /// Fraction of the training patients held out for model selection and early stopping. The default value is 0 (no
    /// split: all patients train). The references differ: medGAN and the CorGAN repository's VAE hold out 10 % for
    /// monitoring only (no selection), CorGAN's CNN script 20 %, EHRDiff none.
    /// </summary>
    [Range(0.0, 0.5)]
    public double ValidationFraction { get; set; }

    /// <summary>What the held-out split selects by. The default value is <see cref="ModelSelection.None"/>.</summary>
    public ModelSelection Selection { get; set; } = ModelSelection.None;

    /// <summary>
    /// The metric of <see cref="ModelSelection.Metric"/>, for example <c>new CovarianceResamplingMetric()</c> from the
    /// Metrics package. Not saved with the model (it only matters during a fit). The default value is <see langword="null"/>.
    /// </summary>
    [JsonIgnore]
    public IUtilityMetric? SelectionMetric { get; set; }

    /// <summary>
    /// Which value of <see cref="SelectionMetric"/> selects (its direction says which way is better), for example
    /// <c>normalized_cov_error</c>. The default value is <see langword="null"/>: the metric's headline value.
    /// </summary>
    public string? SelectionKey { get; set; }

    /// <summary>
    /// Stop when the validation score has not improved for this many epochs. The default value is
    /// <see langword="null"/> (never stop early).
    /// </summary>
    [Range(1, 100_000)]
    public int? EarlyStoppingPatience { get; set; }

    /// <summary>
    /// Folder for training checkpoints, written every <see cref="CheckpointEvery"/> epochs (each a loadable saved
    /// generator plus optimizer state). A fit that finds a checkpoint there resumes from it. The default value is
    /// <see langword="null"/> (no checkpoints).
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Epochs between checkpoints. The default value is 1.</summary>
    [Range(1, 100_000)]
    public int CheckpointEvery { get; set; } = 1;

    /// <summary>Optimisation steps between progress reports (epoch ends are always reported). The default value is 50.</summary>
    [Range(1, 1_000_000)]
    public int ReportEvery { get; set; } = 50;

    /// <summary>
    /// libtorch intra-op threads during fit and generate (restored afterwards; a process-wide setting). The default
    /// value is <see langword="null"/>: libtorch's default, one per core. Tiny models run faster on 1 thread.
    /// </summary>
    [Range(1, 1024)]
    public int? Threads { get; set; }

    /// <summary>
    /// Train with differential privacy (DP-SGD with a Rényi-DP accountant; see docs/privacy.md). Only the families that
    /// support it accept it; held-out selection and early stopping must be off, and the data-dependent initialisations
    /// are skipped. The default value is <see langword="null"/>: ordinary, non-private training.
    /// </summary>
    public DifferentialPrivacyOptions? Privacy { get; set; }

    /// <inheritdoc />
    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Selection != ModelSelection.None && ValidationFraction <= 0)
        {
            yield return new ValidationResult($"Selection = {Selection} needs a ValidationFraction > 0.", [nameof(ValidationFraction), nameof(Selection)]);
        }

        if (EarlyStoppingPatience is not null && Selection == ModelSelection.None)
        {
            yield return new ValidationResult("EarlyStoppingPatience needs a Selection score (ValidationLoss or Metric).", [nameof(EarlyStoppingPatience)]);
        }

        if (Privacy is { } privacy)
        {
            foreach (var problem in privacy.Problems())
            {
                yield return problem;
            }

            if (ValidationFraction > 0)
            {
                yield return new ValidationResult("Privacy: held-out selection and monitoring look at real patients outside DP-SGD; set ValidationFraction = 0.", [nameof(ValidationFraction), nameof(Privacy)]);
            }
        }

        if (Selection == ModelSelection.Metric && SelectionMetric is null)
        {
            yield return new ValidationResult("Selection = Metric needs a SelectionMetric (for example CovarianceResamplingMetric).", [nameof(SelectionMetric)]);
        }
    }
}
