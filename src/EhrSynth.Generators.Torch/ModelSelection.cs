namespace EhrSynth.Generators.Torch;

/// <summary>How a held-out split chooses the weights a fit ends with (no reference implementation does this).</summary>
public enum ModelSelection
{
    /// <summary>Keep the last epoch's weights (what every reference does).</summary>
    None,

    /// <summary>Keep the epoch with the lowest validation loss (the family's training objective on held-out patients).</summary>
    ValidationLoss,

    /// <summary>
    /// Keep the epoch whose samples best match the held-out patients' covariance: generate as many records as the
    /// validation split and compute the normalised covariance error (see docs/metrics.md).
    /// </summary>
    CovarianceError,
}
