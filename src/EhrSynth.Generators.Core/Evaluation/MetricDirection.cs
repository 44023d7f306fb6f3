namespace EhrSynth.Generators.Evaluation;

/// <summary>Which values of a metric are better.</summary>
public enum MetricDirection
{
    /// <summary>Larger is better.</summary>
    HigherIsBetter,

    /// <summary>Smaller is better.</summary>
    LowerIsBetter,

    /// <summary>Closer to <see cref="MetricValue.Target"/> is better (for example 0.5 for a membership attack's accuracy).</summary>
    CloserToTargetIsBetter,

    /// <summary>A descriptive number with no better or worse (for example a count).</summary>
    Descriptive,
}
