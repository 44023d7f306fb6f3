namespace EhrSynth.Generators.Generation;

/// <summary>
/// What a generator knows about its own output: validity and diversity counts. The metric suite prints it beside
/// the metrics it computes from the data alone.
/// </summary>
public sealed record GenerationReport
{
    /// <summary>Records returned.</summary>
    public int RecordsGenerated { get; init; }

    /// <summary>Returned records with no codes.</summary>
    public int EmptyRecords { get; init; }

    /// <summary>Raw outputs that could not be decoded into a record and were drawn again (LLM, unconstrained mode).</summary>
    public int InvalidRecords { get; init; }

    /// <summary>Generated code strings that are not in the vocabulary and were dropped.</summary>
    public int UnknownCodes { get; init; }

    /// <summary>Repeated codes within a record that were removed.</summary>
    public int DuplicateCodesRemoved { get; init; }

    /// <summary>Records cut off by the length limit before they ended.</summary>
    public int TruncatedRecords { get; init; }

    /// <summary>Wall time of sampling.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>How a cohort was drawn (<see cref="ICohortGenerator.GenerateCohort"/>); <see langword="null"/> for <c>Generate</c>.</summary>
    public CohortReport? Cohort { get; init; }

    /// <summary>Free-text remarks (for example a mode-collapse warning).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
