using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Gan;

/// <summary>Log messages of the Gan assembly (event ids 4000–4099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void ModeCollapse(ILogger logger, string warning);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "{Model}: per-code log-odds offsets fitted to the training prevalences on {Samples} calibration samples")]
    public static partial void PrevalenceCalibrated(ILogger logger, string model, int samples);
}
