namespace EhrSynth.Cli;

/// <summary>The command's exit codes.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int BadUsage = 1;
    public const int BadData = 2;
    public const int TrainingFailed = 3;
}
