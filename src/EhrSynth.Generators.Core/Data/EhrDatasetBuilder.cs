namespace EhrSynth.Generators.Data;

/// <summary>Builds an <see cref="EhrDataset"/> one patient at a time.</summary>
/// <remarks>
/// A builder either stores the ids it is given (<see cref="AddPatient(string, ReadOnlySpan{int})"/>), or, when created
/// with a computed-id prefix, stores none and names patients <c>prefix + row</c> (<see cref="AddPatient(ReadOnlySpan{int})"/>),
/// which is what generators use for synthetic data.
/// </remarks>
public sealed class EhrDatasetBuilder
{
    private readonly List<int> _offsets = [0];
    private readonly List<int> _codes = [];
    private readonly List<string>? _ids;
    private readonly string _idPrefix;
    private int[] _scratch = new int[16];

    /// <summary>Creates a builder.</summary>
    /// <param name="vocabulary">Column codes.</param>
    /// <param name="computedIdPrefix">When set, patient ids are computed as prefix + row number and none are stored.</param>
    public EhrDatasetBuilder(CodeVocabulary vocabulary, string? computedIdPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Vocabulary = vocabulary;
        _idPrefix = computedIdPrefix ?? "";
        _ids = computedIdPrefix is null ? [] : null;
    }

    /// <summary>The column codes.</summary>
    public CodeVocabulary Vocabulary { get; }

    /// <summary>Patients added so far.</summary>
    public int PatientCount => _offsets.Count - 1;

    /// <summary>Adds a patient with codes given by column index, in any order.</summary>
    /// <exception cref="ArgumentException">An index is out of range or repeated; the message names the patient and code.</exception>
    public void AddPatient(string patientId, ReadOnlySpan<int> codes)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        if (_ids is null)
        {
            throw new InvalidOperationException("This builder computes patient ids; call AddPatient(codes).");
        }

        AddCodes(patientId, codes);
        _ids.Add(patientId);
    }

    /// <summary>Adds a patient with a computed id (builders created with a computed-id prefix only).</summary>
    public void AddPatient(ReadOnlySpan<int> codes)
    {
        if (_ids is not null)
        {
            throw new InvalidOperationException("This builder stores patient ids; call AddPatient(patientId, codes).");
        }

        AddCodes(null, codes);
    }

    /// <summary>Adds a patient with codes given as strings.</summary>
    /// <exception cref="ArgumentException">A code is not in the vocabulary or is repeated; the message names the patient and code.</exception>
    public void AddPatient(string patientId, IEnumerable<string> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var indices = new List<int>();
        foreach (var code in codes)
        {
            if (!Vocabulary.TryGetIndex(code, out int i))
            {
                throw new ArgumentException($"Patient '{patientId}': code '{code}' is not in the vocabulary.", nameof(codes));
            }

            indices.Add(i);
        }

        AddPatient(patientId, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(indices));
    }

    /// <summary>Adds a patient whose codes are already sorted, distinct and in range (no checks).</summary>
    internal void AddPatientSorted(string? patientId, ReadOnlySpan<int> codes)
    {
        foreach (int c in codes)
        {
            _codes.Add(c);
        }

        _offsets.Add(_codes.Count);
        _ids?.Add(patientId ?? (_idPrefix + (_offsets.Count - 2)));
    }

    /// <summary>Creates the dataset. The builder can keep adding patients afterwards.</summary>
    public EhrDataset Build() =>
        EhrDataset.CreateUnchecked(Vocabulary, _offsets.ToArray(), _codes.ToArray(), _ids?.ToArray(), _idPrefix);

    private void AddCodes(string? patientId, ReadOnlySpan<int> codes)
    {
        if (_scratch.Length < codes.Length)
        {
            _scratch = new int[Math.Max(codes.Length, _scratch.Length * 2)];
        }

        var sorted = _scratch.AsSpan(0, codes.Length);
        codes.CopyTo(sorted);
        sorted.Sort();
        string Who() => patientId ?? (_idPrefix + PatientCount);
        for (int i = 0; i < sorted.Length; i++)
        {
            if ((uint)sorted[i] >= (uint)Vocabulary.Count)
            {
                throw new ArgumentException($"Patient '{Who()}': code index {sorted[i]} is outside the vocabulary of {Vocabulary.Count} codes.", nameof(codes));
            }

            if (i > 0 && sorted[i] == sorted[i - 1])
            {
                throw new ArgumentException($"Patient '{Who()}': code '{Vocabulary[sorted[i]]}' occurs twice.", nameof(codes));
            }
        }

        foreach (int c in sorted)
        {
            _codes.Add(c);
        }

        _offsets.Add(_codes.Count);
    }
}
