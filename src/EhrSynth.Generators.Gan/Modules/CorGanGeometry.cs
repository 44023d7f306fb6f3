namespace EhrSynth.Generators.Gan.Modules;

/// <summary>
/// CorGAN's convolutional autoencoder stack (astorfi/cor-gan <c>wgancnnmimic.py</c>), hand-tuned there so that 1,071
/// codes map to 128 × 1 and back, derived here for any D:
/// <list type="bullet">
/// <item>encoder: the reference's five layers (k 5; strides 2, 2, 3, 3, 3) and a last layer whose kernel is the
/// remaining length (8 at D = 1,071), so the code is always 128 × 1; inputs shorter than 221 are zero-padded to 221;</item>
/// <item>decoder: the reference's six transposed layers, whose output length is 192·k₀ + 111 for a first kernel k₀
/// (5 at D = 1,071 → exactly 1,071); k₀ is the smallest that reaches D, and the output is cropped to D.</item>
/// </list>
/// At D = 1,071 this is exactly the reference's stack.
/// </summary>
internal sealed record CorGanGeometry(int Codes, int PaddedCodes, int[] EncoderLengths, int LastEncoderKernel, int FirstDecoderKernel, int DecoderOutput)
{
    /// <summary>Kernel and stride of the five encoder layers before the last.</summary>
    public static readonly (int Kernel, int Stride)[] EncoderLayers = [(5, 2), (5, 2), (5, 3), (5, 3), (5, 3)];

    /// <summary>Kernel and stride of the five decoder layers after the first.</summary>
    public static readonly (int Kernel, int Stride)[] DecoderLayers = [(5, 4), (7, 4), (7, 3), (7, 2), (3, 2)];

    /// <summary>The smallest input length the encoder reduces to at least one position.</summary>
    public const int MinimumCodes = 221;

    public static CorGanGeometry For(int codes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codes, 1);
        int padded = Math.Max(codes, MinimumCodes);
        var lengths = new int[EncoderLayers.Length + 1];
        lengths[0] = padded;
        for (int i = 0; i < EncoderLayers.Length; i++)
        {
            lengths[i + 1] = ((lengths[i] - EncoderLayers[i].Kernel) / EncoderLayers[i].Stride) + 1;
        }

        int k0 = 1;
        while (DecodedLength(k0) < codes)
        {
            k0++;
        }

        return new CorGanGeometry(codes, padded, lengths, lengths[^1], k0, DecodedLength(k0));
    }

    /// <summary>The decoder's output length for a first kernel k₀ (from a 1-long code).</summary>
    public static int DecodedLength(int firstKernel)
    {
        int length = firstKernel;
        foreach (var (k, s) in DecoderLayers)
        {
            length = ((length - 1) * s) + k;
        }

        return length;
    }
}
