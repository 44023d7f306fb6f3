namespace EhrSynth.Generators.Vae;

/// <summary>The VAE's encoder/decoder networks.</summary>
public enum VaeArchitecture
{
    /// <summary>
    /// The paper's: 1-D convolutional encoder and decoder, each with two hidden layers of <see cref="VaeOptions.HiddenChannels"/>
    /// channels, for any number of codes.
    /// </summary>
    Convolutional,

    /// <summary>The CorGAN repository's MLP VAE (<c>Generative/VAE/MIMIC/vae.py</c>): D → 256 → latent, latent → 256 → D.</summary>
    Mlp,
}
