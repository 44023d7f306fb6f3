namespace EhrSynth.Generators.Generation;

/// <summary>A <see cref="CohortCondition"/> over a vocabulary's column indices (<see cref="CohortCondition.Resolve"/>).</summary>
/// <param name="Required">Columns every record must have, ascending.</param>
/// <param name="Excluded">Columns no record may have, ascending.</param>
public sealed record CohortCodes(IReadOnlyList<int> Required, IReadOnlyList<int> Excluded)
{
    /// <summary>The condition as written (<see cref="CohortCondition.ToString"/>), for messages and reports.</summary>
    public string Text { get; init; } = "";

    /// <summary>Whether the condition asks for nothing.</summary>
    public bool IsEmpty => Required.Count == 0 && Excluded.Count == 0;

    /// <summary>Whether a record with these codes (ascending, as <see cref="Data.EhrDataset.GetCodes"/> returns them) belongs to the cohort.</summary>
    public bool IsSatisfiedBy(ReadOnlySpan<int> codes)
    {
        foreach (int c in Required)
        {
            if (codes.BinarySearch(c) < 0)
            {
                return false;
            }
        }

        foreach (int c in Excluded)
        {
            if (codes.BinarySearch(c) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The patients of <paramref name="data"/> who belong to the cohort (the real cohort of a dataset).</summary>
    public Data.EhrDataset Select(Data.EhrDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var members = new List<int>();
        for (int p = 0; p < data.PatientCount; p++)
        {
            if (IsSatisfiedBy(data.GetCodes(p)))
            {
                members.Add(p);
            }
        }

        return data.Subset(members.ToArray());
    }
}
