namespace EhrSynth.Generators.IO;

/// <summary>Options of <see cref="Npy.Read(string, string, NpyReadOptions?, CancellationToken)"/>.</summary>
public sealed class NpyReadOptions
{
    /// <summary>
    /// Binarisation threshold for matrices of probabilities (what medGAN writes): a value becomes 1 when it is
    /// ≥ the threshold. The default value is <see langword="null"/>: every value must be exactly 0 or 1, and any
    /// other value is an error naming its row and code, because a reader never guesses.
    /// </summary>
    public double? Threshold { get; set; }

    /// <summary>What to do with an all-zero row. The default value is <see cref="EmptyPatientPolicy.Throw"/>;
    /// use <see cref="EmptyPatientPolicy.Keep"/> for synthetic output, which may contain empty records.</summary>
    public EmptyPatientPolicy EmptyPatients { get; set; } = EmptyPatientPolicy.Throw;

    /// <summary>Optional patient ids file (one per line, one line per row). The default value is
    /// <see langword="null"/>: ids are the row numbers.</summary>
    public string? PatientIdsPath { get; set; }
}
