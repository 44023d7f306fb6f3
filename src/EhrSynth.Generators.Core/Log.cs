using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators;

/// <summary>Log messages of the Core assembly (event ids 1000–1099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "{Generator}: fitting on {Patients} patients × {Codes} codes (seed {Seed})")]
    public static partial void FitStarted(ILogger logger, string generator, int patients, int codes, int seed);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Generator}: fitted in {Seconds:F1} s")]
    public static partial void FitFinished(ILogger logger, string generator, double seconds);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{Generator}: generated {Count} patients in {Seconds:F1} s ({Empty} empty)")]
    public static partial void Generated(ILogger logger, string generator, int count, double seconds, int empty);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "{Generator}: no seed given; drew seed {Seed} (set Seed to repeat this run)")]
    public static partial void SeedDrawn(ILogger logger, string generator, int seed);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "{Generator}: saved to {Folder}")]
    public static partial void Saved(ILogger logger, string generator, string folder);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "{Generator}: loaded from {Folder}")]
    public static partial void Loaded(ILogger logger, string generator, string folder);
}
