using EhrSynth.Generators.Families;

namespace EhrSynth.Generators.Diffusion;

/// <summary>
/// The <c>ehrdiff-version</c> study (<see cref="GeneratorFamily.Studies"/>): EHRDiff as sczzz3/EHRDiff v2 (the library's
/// default) and as v1 (the code the paper most likely ran), at the same budget.
/// </summary>
public static class EhrDiffVersionStudy
{
    /// <summary>The study.</summary>
    public static FamilyStudy Study { get; } = new()
    {
        Name = "ehrdiff-version",
        Description = "EHRDiff as sczzz3/EHRDiff v2 (the library's default) and as v1 (the code the paper most likely ran), at the same budget",
        Rows = (ehrDiff, _) =>
        [
            ehrDiff.Variant("ehrdiff-v2", $"{ehrDiff.DisplayName} (v2)", o => ((EhrDiffOptions)o).Version = EhrDiffVersion.V2),
            ehrDiff.Variant("ehrdiff-v1", $"{ehrDiff.DisplayName} (v1)", o => ((EhrDiffOptions)o).Version = EhrDiffVersion.V1),
        ],
    };
}
