namespace EhrSynth.Generators.Cli;

/// <summary>The exit codes of <c>ehrsynth</c> (docs/reliability.md). Every failure ends as one message on standard error and one of these.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Bad usage: an unknown command, option or family, an option value out of range, invalid generator options.</summary>
    public const int BadUsage = 1;

    /// <summary>Bad input: a data file or model folder that is missing, malformed, inconsistent or too large to evaluate.</summary>
    public const int BadData = 2;

    /// <summary>Training failed: it diverged, collapsed, or the model cannot do what was asked.</summary>
    public const int TrainingFailed = 3;

    /// <summary>An output was refused (it would overwrite or delete files EhrSynth did not write, or is of the wrong kind), or the file system failed.</summary>
    public const int OutputRefused = 4;

    /// <summary>The requested device (for example CUDA) is not available.</summary>
    public const int DeviceUnavailable = 5;

    /// <summary>An unexpected internal error (a bug): the message says what; <c>--verbose</c> adds the stack trace.</summary>
    public const int InternalError = 70;

    /// <summary>Cancelled (Ctrl+C); nothing partial was left behind.</summary>
    public const int Cancelled = 130;
}
