using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// Per-code values fitted after training so that a sampler's records have given code prevalences (the training ones,
/// or in a private fit the privately released ones) while the model's joint structure decides which records carry each
/// code. <see cref="Fit"/> draws the calibration sample in generation batches and fits one number per code by
/// <see cref="CodeCalibrationMethod"/>; <see cref="Apply"/> moves a fresh batch. A family saves <see cref="Values"/> in its
/// state and rebuilds the calibration with <see cref="FromValues"/> when a model is loaded.
/// </summary>
public sealed class CodeCalibration
{
    private readonly float[] _values;

    private CodeCalibration(CodeCalibrationMethod method, float[] values) => (Method, _values) = (method, values);

    /// <summary>How the values move a code.</summary>
    public CodeCalibrationMethod Method { get; }

    /// <summary>One number per code: a log-odds offset or a cut.</summary>
    public IReadOnlyList<float> Values => _values;

    /// <summary>
    /// Draws <paramref name="samples"/> records' sampler outputs <c>[b, D]</c> from <paramref name="sampleBatch"/>, at most
    /// <paramref name="batchSize"/> at a time, and fits each code to its <paramref name="prevalence"/>. Call it under
    /// <c>no_grad</c> in a dispose scope, with the model in sampling mode.
    /// </summary>
    /// <exception cref="ArgumentException">The prevalences do not match the sampler's codes.</exception>
    public static CodeCalibration Fit(CodeCalibrationMethod method, int samples, int batchSize, Func<int, Tensor> sampleBatch, IReadOnlyList<double> prevalence)
    {
        ArgumentNullException.ThrowIfNull(sampleBatch);
        ArgumentNullException.ThrowIfNull(prevalence);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var parts = new List<Tensor>();
        for (int done = 0; done < samples; done += batchSize)
        {
            var values = sampleBatch(Math.Min(batchSize, samples - done));                     // [b, D]
            parts.Add(method == CodeCalibrationMethod.LogOddsOffsets ? PrevalenceCalibration.Logits(values) : values);   // [b, D]
        }

        var all = cat(parts, 0);                                                               // [M, D]
        return new CodeCalibration(method, method == CodeCalibrationMethod.LogOddsOffsets
            ? PrevalenceCalibration.FitOffsets(all, prevalence)
            : CodeThresholds.Fit(all, prevalence));
    }

    /// <summary>A calibration from saved <paramref name="values"/> (one per code, as <see cref="Values"/> held them).</summary>
    public static CodeCalibration FromValues(CodeCalibrationMethod method, IReadOnlyList<float> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new CodeCalibration(method, [.. values]);
    }

    /// <summary>
    /// A fresh batch <c>[B, D]</c> moved by the calibration: probabilities with each code's log-odds offset, or raw values
    /// shifted so that thresholding at <paramref name="threshold"/> is thresholding code j at its cut (v − t_j + threshold).
    /// </summary>
    public Tensor Apply(Tensor values, double threshold)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var perCode = tensor(_values, device: values.device);                           // [D]
        return Method == CodeCalibrationMethod.LogOddsOffsets
            ? PrevalenceCalibration.Apply(values, perCode)                                       // [B, D]
            : CodeThresholds.Apply(values, perCode, threshold);                                  // [B, D]
    }
}
