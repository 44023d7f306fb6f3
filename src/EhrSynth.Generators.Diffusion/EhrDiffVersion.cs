namespace EhrSynth.Generators.Diffusion;

/// <summary>Which release of sczzz3/EHRDiff <see cref="EhrDiffGenerator"/> follows (docs/models/diffusion.md).</summary>
public enum EhrDiffVersion
{
    /// <summary>
    /// v2 (March 2024, the repository's current code): the time embedding enters every block, EMA weights sample,
    /// the last batch of an epoch is kept, the last weights are kept.
    /// </summary>
    V2,

    /// <summary>
    /// v1 (2023, <c>diffusion_util.py</c>/<c>train_util.py</c>; what the paper most likely ran): the time embedding enters
    /// only the input block; the sampler clamps every denoised estimate to [0, 1]; no EMA; the last incomplete batch of
    /// an epoch is dropped; and every <see cref="EhrDiffOptions.V1SelectionEverySteps"/> steps it samples as many records
    /// as the training set and keeps the weights whose per-code prevalences correlate best (Pearson) with the training
    /// data's — model selection on the evaluation metric, against training data, as v1 does.
    /// </summary>
    V1,
}
