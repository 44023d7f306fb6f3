namespace EhrSynth.Generators.Torch;

/// <summary>Where a fit is: saved with every checkpoint so a resumed fit continues exactly there.</summary>
internal sealed record TrainingState
{
    /// <summary>Index of the phase being trained (phases before it are done).</summary>
    public int PhaseIndex { get; init; }

    /// <summary>Epochs of that phase that are done.</summary>
    public int EpochsDone { get; init; }

    /// <summary>Whether every phase is done.</summary>
    public bool Completed { get; init; }

    /// <summary>Best validation score so far (lower is better), when selection is on.</summary>
    public double? BestScore { get; init; }

    /// <summary>The epoch of <see cref="BestScore"/>.</summary>
    public int BestEpoch { get; init; }

    /// <summary>Epochs since the score last improved.</summary>
    public int EpochsWithoutImprovement { get; init; }

    /// <summary>Training patients (after the validation split).</summary>
    public int TrainingPatients { get; init; }
}
