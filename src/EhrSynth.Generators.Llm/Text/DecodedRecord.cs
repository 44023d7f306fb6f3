namespace EhrSynth.Generators.Llm.Text;

/// <summary>A record decoded from model output, with what was wrong with it.</summary>
/// <param name="PatientId">The id in the sentence, or <see langword="null"/> when none was found.</param>
/// <param name="Codes">The valid, distinct vocabulary codes, in the order written.</param>
/// <param name="Issues">Problems found.</param>
/// <param name="UnknownCodes">Codes not in the vocabulary.</param>
/// <param name="DuplicatesRemoved">Repeated codes removed.</param>
public sealed record DecodedRecord(string? PatientId, IReadOnlyList<string> Codes, RecordIssues Issues, IReadOnlyList<string> UnknownCodes, int DuplicatesRemoved)
{
    /// <summary>Whether the record is usable: at least one code, and no structural problem.</summary>
    public bool IsValid => Codes.Count > 0 && (Issues & (RecordIssues.Malformed | RecordIssues.Empty | RecordIssues.Truncated)) == 0;
}
