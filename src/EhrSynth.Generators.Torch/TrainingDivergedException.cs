namespace EhrSynth.Generators.Torch;

/// <summary>A loss became NaN or infinite during training.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(string message, Generation.TrainingPhaseName phase, int epoch, long step, string? lastGoodCheckpoint)
        : base(message)
    {
        Phase = phase;
        Epoch = epoch;
        Step = step;
        LastGoodCheckpoint = lastGoodCheckpoint;
    }

    /// <summary>The phase that diverged.</summary>
    public Generation.TrainingPhaseName Phase { get; }

    /// <summary>The 1-based epoch that diverged.</summary>
    public int Epoch { get; }

    /// <summary>The 1-based step within the phase that produced the bad loss.</summary>
    public long Step { get; }

    /// <summary>The folder holding the last good checkpoint, or <see langword="null"/> when checkpoints were off.</summary>
    public string? LastGoodCheckpoint { get; }
}
