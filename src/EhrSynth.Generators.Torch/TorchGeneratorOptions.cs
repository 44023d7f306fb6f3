using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Torch;

/// <summary>Options shared by every TorchSharp generator: training-loop, checkpoint and selection settings.</summary>
public abstract class TorchGeneratorOptions : EhrGeneratorOptions
{
    /// <summary>
    /// Fraction of the training patients held out for model selection and early stopping. The default value is 0 (no
    /// split: all patients train, as in every reference).
    /// </summary>
    [Range(0.0, 0.5)]
    public double ValidationFraction { get; set; }

    /// <summary>What the held-out split selects by. The default value is <see cref="ModelSelection.None"/>.</summary>
    public ModelSelection Selection { get; set; } = ModelSelection.None;

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

    /// <inheritdoc />
    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Selection != ModelSelection.None && ValidationFraction <= 0)
        {
            yield return new ValidationResult($"Selection = {Selection} needs a ValidationFraction > 0.", [nameof(ValidationFraction), nameof(Selection)]);
        }

        if (EarlyStoppingPatience is not null && Selection == ModelSelection.None)
        {
            yield return new ValidationResult("EarlyStoppingPatience needs a Selection score (ValidationLoss or CovarianceError).", [nameof(EarlyStoppingPatience)]);
        }
    }
}
