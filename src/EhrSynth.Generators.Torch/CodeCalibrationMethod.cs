namespace EhrSynth.Generators.Torch;

/// <summary>How <see cref="CodeCalibration"/> moves each code of a sampler's output to a target prevalence.</summary>
public enum CodeCalibrationMethod
{
    /// <summary>
    /// A per-code log-odds offset δ_j with mean σ(ℓ_ij + δ_j) = p_j over the calibration sample, for samplers that
    /// output probabilities that records then draw from (medGAN, CorGAN: <c>GanOptions.CalibratePrevalence</c>).
    /// </summary>
    LogOddsOffsets,

    /// <summary>
    /// A per-code cut t_j above which round(p_j · M) of the M calibration values lie, for samplers whose raw values are
    /// thresholded (EHRDiff, DDPM: <c>DiffusionOptions.CalibrateThresholds</c>).
    /// </summary>
    QuantileCuts,
}
