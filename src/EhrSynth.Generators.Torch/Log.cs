using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Torch;

/// <summary>Log messages of the Torch assembly (event ids 2000–2099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "{Generator}: {Phase} epoch {Epoch}/{Epochs}: {Losses}; validation {Score:G4}; {Seconds:F1} s")]
    public static partial void EpochFinished(ILogger logger, string generator, string phase, int epoch, int epochs, string losses, double score, double seconds);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "{Generator}: checkpoint written to {Folder} (phase {Phase}, {Epochs} epochs done)")]
    public static partial void CheckpointSaved(ILogger logger, string generator, string folder, int phase, int epochs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "{Generator}: resuming from {Folder} (phase {Phase}, {Epochs} epochs done)")]
    public static partial void Resumed(ILogger logger, string generator, string folder, int phase, int epochs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "{Generator}: early stop after epoch {Epoch}; the best epoch was {BestEpoch}")]
    public static partial void EarlyStopped(ILogger logger, string generator, int epoch, int bestEpoch);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "{Generator}: kept the weights of epoch {Epoch} (validation score {Score:G4})")]
    public static partial void BestRestored(ILogger logger, string generator, int epoch, double score);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "{Generator}: {Key} is not finite in phase {Phase}, epoch {Epoch}, step {Step}")]
    public static partial void Diverged(ILogger logger, string generator, string phase, int epoch, long step, string key);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "{Generator}: {Message}")]
    public static partial void Warning(ILogger logger, string generator, string message);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "{Generator}: waiting for another generator in this process to finish with libtorch's global random generator")]
    public static partial void WaitingForTorch(ILogger logger, string generator);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "{Generator}: differentially private fit: {Guarantee}")]
    public static partial void PrivacySpent(ILogger logger, string generator, string guarantee);
}
