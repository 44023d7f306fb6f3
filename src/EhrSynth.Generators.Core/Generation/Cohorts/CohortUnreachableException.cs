namespace EhrSynth.Generators.Generation;

/// <summary>
/// A cohort the generator cannot produce at a reasonable cost: sampling by rejection accepted too few records
/// (<see cref="CohortSamplingOptions.MinimumAcceptance"/>). The message names the rate measured.
/// </summary>
public sealed class CohortUnreachableException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public CohortUnreachableException(string message, CohortReport report)
        : base(message) => Report = report;

    /// <summary>Creates the exception.</summary>
    public CohortUnreachableException()
        : this("The cohort cannot be reached.", new CohortReport("", CohortMethod.Rejection, 0, 0))
    {
    }

    /// <summary>Creates the exception.</summary>
    public CohortUnreachableException(string message)
        : this(message, new CohortReport("", CohortMethod.Rejection, 0, 0))
    {
    }

    /// <summary>Creates the exception.</summary>
    public CohortUnreachableException(string message, Exception innerException)
        : base(message, innerException) => Report = new CohortReport("", CohortMethod.Rejection, 0, 0);

    /// <summary>What was drawn before sampling stopped.</summary>
    public CohortReport Report { get; }
}
