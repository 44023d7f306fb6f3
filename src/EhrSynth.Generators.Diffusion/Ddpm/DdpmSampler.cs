namespace EhrSynth.Generators.Diffusion.Ddpm;

/// <summary>How <see cref="DdpmGenerator"/> samples.</summary>
public enum DdpmSampler
{
    /// <summary>Ancestral sampling through all T steps (Ho et al. 2020, Algorithm 2).</summary>
    Ancestral,

    /// <summary>Deterministic DDIM (Song et al. 2021, η = 0) over <see cref="DdpmOptions.DdimSteps"/> evenly spaced steps: much faster.</summary>
    Ddim,
}
