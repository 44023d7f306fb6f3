namespace EhrSynth.Generators.Data;

/// <summary>
/// ICD-9-CM and ICD-10-CM codes side by side: the version marks of <see cref="IcdVersionPolicy.Both"/>, grouping by
/// version, and a guess of the coding from the codes themselves.
/// </summary>
public static class IcdCodes
{
    /// <summary>The mark of an ICD-9-CM code in a vocabulary that holds both versions: <c>9:401</c>.</summary>
    public const string Icd9Mark = "9:";

    /// <summary>The mark of an ICD-10-CM code in a vocabulary that holds both versions: <c>10:I10</c>.</summary>
    public const string Icd10Mark = "10:";

    /// <summary>A code with its version mark (<c>9:401</c>, <c>10:I10</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is neither 9 nor 10.</exception>
    public static string Mark(int version, string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return version switch
        {
            9 => Icd9Mark + code,
            10 => Icd10Mark + code,
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "An ICD version is 9 or 10."),
        };
    }

    /// <summary>The version and the bare code of a marked code; an unmarked code gives a <see langword="null"/> version.</summary>
    public static (int? Version, string Code) Unmark(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.StartsWith(Icd9Mark, StringComparison.Ordinal) ? (9, code[Icd9Mark.Length..])
            : code.StartsWith(Icd10Mark, StringComparison.Ordinal) ? (10, code[Icd10Mark.Length..])
            : (null, code);
    }

    /// <summary>
    /// Groups a stored code of the given version: ICD-9 with medGAN's three-digit rule (<see cref="Icd9Codes.Group"/>),
    /// ICD-10 to its three-character category (<see cref="Icd10Codes.Group"/>).
    /// </summary>
    public static string Group(int version, string code, CodeGrouping grouping) =>
        version == 10 ? Icd10Codes.Group(code, grouping) : Icd9Codes.Group(code, grouping);

    /// <summary>
    /// A guess of the coding of <paramref name="codes"/> from their shape, for data that does not say (a long CSV):
    /// all marked → <see cref="CodeSystem.Icd9And10"/>; codes starting with a digit are ICD-9, codes starting with a
    /// letter other than <c>E</c> or <c>V</c> are ICD-10 (<c>E</c> and <c>V</c> codes exist in both and decide nothing);
    /// when only one kind is seen, that kind, else <see cref="CodeSystem.Unknown"/>.
    /// </summary>
    public static CodeSystem DetectSystem(IEnumerable<string> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        bool nine = false, ten = false, marked = false, unmarked = false, other = false;
        foreach (var code in codes)
        {
            var (version, bare) = Unmark(code);
            if (version is not null)
            {
                marked = true;
                continue;
            }

            unmarked = true;
            if (bare.Length == 0)
            {
                other = true;
            }
            else if (char.IsAsciiDigit(bare[0]))
            {
                nine |= bare.Length >= 3 && bare.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;
                other |= bare.Length < 3 || bare.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0;
            }
            else if (Icd10Codes.Normalize(bare) == bare)
            {
                ten |= bare[0] is not ('E' or 'V');
            }
            else
            {
                other = true;
            }
        }

        return marked && !unmarked ? CodeSystem.Icd9And10
            : marked || other || nine == ten ? CodeSystem.Unknown
            : nine ? CodeSystem.Icd9 : CodeSystem.Icd10;
    }
}
