namespace EhrSynth.Generators.Torch;

/// <summary>How a held-out split chooses the weights a fit ends with (no reference implementation does this).</summary>
public enum ModelSelection
{
    /// <summary>Keep the last epoch's weights (what every reference does).</summary>
    None,

    /// <summary>Keep the epoch with the lowest validation loss (the family's training objective on held-out patients).</summary>
    ValidationLoss,

    /// <summary>
    /// Keep the epoch whose samples score best on <see cref="TorchGeneratorOptions.SelectionMetric"/> against the
    /// held-out patients: as many records as the validation split are generated and compared (for example the normalised
    /// covariance error of <c>CovarianceResamplingMetric</c>, docs/metrics.md).
    /// </summary>
    Metric,
}
