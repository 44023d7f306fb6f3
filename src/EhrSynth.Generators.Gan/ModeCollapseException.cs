namespace EhrSynth.Generators.Gan;

/// <summary>A GAN collapsed onto few records or few codes (see <see cref="GanOptions.FailOnModeCollapse"/>).</summary>
public sealed class ModeCollapseException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModeCollapseException(string message)
        : base(message)
    {
    }
}
