using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Torch;

/// <summary>Options of generators whose network outputs a probability per code (VAE, GANs, diffusion).</summary>
public abstract class ProbabilisticGeneratorOptions : TorchGeneratorOptions
{
    /// <summary>
    /// How probabilities become records. The default value is <see cref="BinarizationMode.Bernoulli"/>. The references
    /// differ: the CorGAN repository (its VAE and CorGAN) thresholds at 0.5, medGAN's <c>generateData</c> and EHRDiff
    /// v1's <c>gen_dat.py</c> save the raw values. A 0.5 threshold suppresses every code whose probability stays below
    /// it (no UCI code has a prevalence above 0.44), which is why thresholded output has about one code per record.
    /// </summary>
    public BinarizationMode Binarization { get; set; } = BinarizationMode.Bernoulli;

    /// <summary>The threshold of <see cref="BinarizationMode.Threshold"/>. The default value is 0.5 (the CorGAN repository's).</summary>
    [Range(1e-6, 1.0)]
    public double Threshold { get; set; } = 0.5;

    /// <summary>Records sampled per forward pass when generating. The default value is 1,000.</summary>
    [Range(1, 1_000_000)]
    public int GenerationBatchSize { get; set; } = 1_000;
}
