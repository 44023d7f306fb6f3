using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Torch;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Diffusion;

/// <summary>
/// The known coordinates of a cohort for diffusion inpainting (RePaint's replacement step, Lugmayr et al. 2022): at
/// every reverse step the conditioned codes of the current sample are replaced by their known value noised to the
/// step's level, so the network denoises the free codes in the context of the known ones; the last step sets them
/// exactly. No retraining: the unconditional denoiser is used as it is. RePaint's resampling (jumping back and
/// repeating steps so the free codes can adjust to the imposed ones) is not done.
/// </summary>
public sealed class Inpainting : IDisposable
{
    private readonly Tensor _mask;     // [1, D] bool: conditioned
    private readonly Tensor _values;   // [1, D]: the known value in the family's data space (0 elsewhere)

    /// <summary>Known values for <paramref name="cohort"/>: <paramref name="present"/> for required codes, <paramref name="absent"/> for excluded ones (the family's data scale: 1/0 for EDM, ±1 for DDPM).</summary>
    public Inpainting(CohortCodes cohort, int codes, double present, double absent, Device device)
    {
        var mask = new bool[codes];
        var values = new float[codes];
        foreach (int c in cohort.Required)
        {
            (mask[c], values[c]) = (true, (float)present);
        }

        foreach (int c in cohort.Excluded)
        {
            (mask[c], values[c]) = (true, (float)absent);
        }

        _mask = tensor(mask, device: device).unsqueeze(0);                         // [1, D]
        _values = tensor(values, device: device).unsqueeze(0);                     // [1, D]
        (Present, Absent) = (present, absent);
    }

    private double Present { get; }

    private double Absent { get; }

    /// <summary>
    /// <paramref name="x"/> <c>[b, D]</c> with the known coordinates replaced by scale·y + noise·ε (ε fresh standard
    /// normal): the known data at the step's noise level (EDM: scale 1, noise σ; DDPM: √ᾱₜ and √(1 − ᾱₜ)).
    /// </summary>
    public Tensor Impose(Tensor x, double scale, double noise, Generator rng)
    {
        var known = noise > 0
            ? _values.Times(scale).Plus(randn(x.shape, dtype: x.dtype, device: x.device, generator: rng).Times(noise))   // [b, D]
            : _values.Times(scale).expand(x.shape);                                                                      // [b, D]
        return where(_mask, known, x);                                                                                   // [b, D]
    }

    /// <summary>Probabilities <c>[b, D]</c> with the conditioned codes set to exactly 1 (required) or 0 (excluded), whatever the cuts did.</summary>
    public Tensor Fix(Tensor probabilities)
    {
        var exact = _values.Plus(-Absent).Over(Present - Absent);                 // [1, D]: 1 required, 0 excluded
        return where(_mask, exact.expand(probabilities.shape), probabilities);    // [b, D]
    }

    /// <summary>Frees the mask and values.</summary>
    public void Dispose()
    {
        _mask.Dispose();
        _values.Dispose();
    }
}
