using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Gan;

/// <summary>Log messages of the Gan assembly (event ids 4000–4099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void ModeCollapse(ILogger logger, string warning);
}
