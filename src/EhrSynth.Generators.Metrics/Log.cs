using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Metrics;

/// <summary>Log messages of the Metrics assembly (event ids 3000–3099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "{Row}: {Metric} in {Milliseconds:F0} ms")]
    public static partial void MetricEvaluated(ILogger logger, string row, string metric, double milliseconds);
}
