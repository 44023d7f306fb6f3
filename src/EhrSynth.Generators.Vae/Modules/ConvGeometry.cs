namespace EhrSynth.Generators.Vae.Modules;

/// <summary>
/// Lengths of the two-layer 1-D convolution stack for any number of codes D (no hard-coded 1,071).
/// The encoder pads by ⌊k/2⌋, so each layer maps a length L to ⌊(L + 2p − k) / s⌋ + 1. The decoder's transposed layers
/// use no padding, so every output position is reached by some kernel tap (given k ≥ s), and are cropped back to the
/// encoder's lengths — the decoder always returns exactly D values, each of which depends on the latent code.
/// </summary>
internal sealed record ConvGeometry(int Codes, int Kernel, int Stride, int Padding, int Length1, int Length2)
{
    public static ConvGeometry For(int codes, int kernel, int stride)
    {
        if (kernel < stride)
        {
            throw new ArgumentException($"The kernel ({kernel}) must be at least the stride ({stride}), or some decoder outputs would not depend on the latent code.");
        }

        int padding = kernel / 2;
        int l1 = Out(codes, kernel, stride, padding);
        int l2 = Out(l1, kernel, stride, padding);
        if (l1 < 1 || l2 < 1)
        {
            throw new ArgumentException($"A kernel of {kernel} with stride {stride} leaves nothing of {codes} codes; use a smaller stride or the MLP architecture.");
        }

        return new ConvGeometry(codes, kernel, stride, padding, l1, l2);
    }

    /// <summary>Length of the first transposed layer's output before cropping to <see cref="Length1"/>.</summary>
    public int Transposed1 => Transposed(Length2);

    /// <summary>Length of the second transposed layer's output before cropping to <see cref="Codes"/>.</summary>
    public int Transposed2 => Transposed(Length1);

    /// <summary>The decoder's output length after cropping (equals <see cref="Codes"/> by construction).</summary>
    public int DecodedLength => Math.Min(Transposed(Math.Min(Transposed1, Length1)), Codes);

    private int Transposed(int length) => ((length - 1) * Stride) + Kernel;

    private static int Out(int length, int kernel, int stride, int padding) => ((length + (2 * padding) - kernel) / stride) + 1;
}
