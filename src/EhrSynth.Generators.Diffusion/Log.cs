using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Diffusion;

/// <summary>Log messages of the Diffusion assembly (event ids 5000–5099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "{Model}: per-code thresholds fitted to the training prevalences on {Samples} calibration samples")]
    public static partial void ThresholdsCalibrated(ILogger logger, string model, int samples);
}
