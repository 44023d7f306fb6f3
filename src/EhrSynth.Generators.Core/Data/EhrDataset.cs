using System.Globalization;

namespace EhrSynth.Generators.Data;

/// <summary>
/// An immutable binary patient × code matrix stored sparse (CSR): for each patient, the sorted column
/// indices of the codes it has. This is the data every generator learns and every metric compares.
/// </summary>
/// <remarks>
/// <para>Memory is about 4 bytes per stored code plus 4 bytes per patient for the row offsets, plus the
/// patient ids (synthetic datasets use computed ids and store none).</para>
/// <para>Create one with <see cref="EhrDatasetBuilder"/>, <see cref="FromRecords"/>, <see cref="FromDense"/>
/// or a loader in <c>EhrSynth.Generators.IO</c>.</para>
/// </remarks>
public sealed class EhrDataset
{
    private readonly int[] _rowOffsets;
    private readonly int[] _codes;
    private readonly string[]? _patientIds;
    private readonly string _idPrefix;

    private EhrDataset(CodeVocabulary vocabulary, int[] rowOffsets, int[] codes, string[]? patientIds, string idPrefix)
    {
        Vocabulary = vocabulary;
        _rowOffsets = rowOffsets;
        _codes = codes;
        _patientIds = patientIds;
        _idPrefix = idPrefix;
    }

    /// <summary>The codes that index the columns.</summary>
    public CodeVocabulary Vocabulary { get; }

    /// <summary>Number of patients (rows).</summary>
    public int PatientCount => _rowOffsets.Length - 1;

    /// <summary>Number of codes (columns).</summary>
    public int CodeCount => Vocabulary.Count;

    /// <summary>Number of stored (patient, code) pairs, i.e. ones in the matrix.</summary>
    public int StoredCodeCount => _codes.Length;

    /// <summary>Mean number of codes per patient (0 for an empty dataset).</summary>
    public double MeanCodesPerPatient => PatientCount == 0 ? 0 : (double)StoredCodeCount / PatientCount;

    /// <summary>Approximate bytes held by the sparse structure (offsets, code indices and id references).</summary>
    public long SparseBytes => 4L * _codes.Length + 4L * _rowOffsets.Length + (_patientIds is null ? 0 : 8L * _patientIds.Length);

    /// <summary>Creates a dataset from CSR arrays, validating them.</summary>
    /// <param name="vocabulary">Column codes.</param>
    /// <param name="rowOffsets">N + 1 non-decreasing offsets into <paramref name="codes"/>, starting at 0.</param>
    /// <param name="codes">Column indices, strictly increasing within each row.</param>
    /// <param name="patientIds">N ids, or <see langword="null"/> to use <paramref name="idPrefix"/> + row number.</param>
    /// <param name="idPrefix">Prefix of computed ids when <paramref name="patientIds"/> is null.</param>
    /// <exception cref="ArgumentException">The arrays are inconsistent; the message names the patient and code.</exception>
    public static EhrDataset Create(CodeVocabulary vocabulary, int[] rowOffsets, int[] codes, string[]? patientIds = null, string idPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(rowOffsets);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(idPrefix);
        if (rowOffsets.Length == 0 || rowOffsets[0] != 0 || rowOffsets[^1] != codes.Length)
        {
            throw new ArgumentException("Row offsets must start at 0 and end at the number of stored codes.", nameof(rowOffsets));
        }

        int n = rowOffsets.Length - 1;
        if (patientIds is not null && patientIds.Length != n)
        {
            throw new ArgumentException($"Expected {n} patient ids, got {patientIds.Length}.", nameof(patientIds));
        }

        for (int p = 0; p < n; p++)
        {
            int start = rowOffsets[p], end = rowOffsets[p + 1];
            string Id() => patientIds?[p] ?? idPrefix + p.ToString(CultureInfo.InvariantCulture);
            if (end < start)
            {
                throw new ArgumentException($"Patient '{Id()}': row offsets decrease.", nameof(rowOffsets));
            }

            for (int k = start; k < end; k++)
            {
                int c = codes[k];
                if ((uint)c >= (uint)vocabulary.Count)
                {
                    throw new ArgumentException($"Patient '{Id()}': code index {c} is outside the vocabulary of {vocabulary.Count} codes.", nameof(codes));
                }

                if (k > start && codes[k - 1] >= c)
                {
                    throw new ArgumentException(
                        codes[k - 1] == c
                            ? $"Patient '{Id()}': code '{vocabulary[c]}' occurs twice."
                            : $"Patient '{Id()}': code indices are not sorted.",
                        nameof(codes));
                }
            }
        }

        return new EhrDataset(vocabulary, rowOffsets, codes, patientIds, idPrefix);
    }

    /// <summary>Creates a dataset without validation; callers guarantee the CSR invariants.</summary>
    internal static EhrDataset CreateUnchecked(CodeVocabulary vocabulary, int[] rowOffsets, int[] codes, string[]? patientIds, string idPrefix = "") =>
        new(vocabulary, rowOffsets, codes, patientIds, idPrefix);

    /// <summary>Creates a dataset from readable records. Codes not in <paramref name="vocabulary"/> are an error.</summary>
    /// <param name="records">Patients; duplicate codes within a patient are an error.</param>
    /// <param name="vocabulary">Column codes, or <see langword="null"/> to use the codes in first-seen order.</param>
    /// <exception cref="ArgumentException">A code is unknown or repeated; the message names the patient and code.</exception>
    public static EhrDataset FromRecords(IEnumerable<PatientRecord> records, CodeVocabulary? vocabulary = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records as IReadOnlyCollection<PatientRecord> ?? records.ToList();
        if (vocabulary is null)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var r in list)
            {
                foreach (var c in r.Codes)
                {
                    if (seen.Add(c))
                    {
                        order.Add(c);
                    }
                }
            }

            vocabulary = new CodeVocabulary(order);
        }

        var builder = new EhrDatasetBuilder(vocabulary);
        foreach (var r in list)
        {
            builder.AddPatient(r.PatientId, r.Codes);
        }

        return builder.Build();
    }

    /// <summary>Creates a dataset from a dense row-major 0/1 matrix.</summary>
    /// <param name="values">Row-major values, <c>rows × vocabulary.Count</c>; each must be exactly 0 or 1.</param>
    /// <param name="vocabulary">Column codes.</param>
    /// <param name="patientIds">Ids, or <see langword="null"/> for "0", "1", ….</param>
    /// <exception cref="ArgumentException">A value is not 0 or 1 (names the row and code), or the size is wrong.</exception>
    public static EhrDataset FromDense(ReadOnlySpan<float> values, CodeVocabulary vocabulary, IReadOnlyList<string>? patientIds = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        int m = vocabulary.Count;
        if (m == 0 || values.Length % m != 0)
        {
            throw new ArgumentException($"Expected a multiple of {m} values, got {values.Length}.", nameof(values));
        }

        int n = values.Length / m;
        var builder = new EhrDatasetBuilder(vocabulary);
        var row = new List<int>();
        for (int p = 0; p < n; p++)
        {
            row.Clear();
            for (int c = 0; c < m; c++)
            {
                float v = values[(p * m) + c];
                if (v == 1f)
                {
                    row.Add(c);
                }
                else if (v != 0f)
                {
                    throw new ArgumentException($"Row {p}, code '{vocabulary[c]}': value {v.ToString(CultureInfo.InvariantCulture)} is not 0 or 1.", nameof(values));
                }
            }

            builder.AddPatient(patientIds?[p] ?? p.ToString(CultureInfo.InvariantCulture), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(row));
        }

        return builder.Build();
    }

    /// <summary>The id of a patient.</summary>
    public string GetPatientId(int patient)
    {
        CheckPatient(patient);
        return _patientIds?[patient] ?? _idPrefix + patient.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Sorted column indices of a patient's codes.</summary>
    public ReadOnlySpan<int> GetCodes(int patient)
    {
        CheckPatient(patient);
        return _codes.AsSpan(_rowOffsets[patient], _rowOffsets[patient + 1] - _rowOffsets[patient]);
    }

    /// <summary>Number of codes a patient has.</summary>
    public int GetCodeCount(int patient)
    {
        CheckPatient(patient);
        return _rowOffsets[patient + 1] - _rowOffsets[patient];
    }

    /// <summary>Whether a patient has the code at a column.</summary>
    public bool HasCode(int patient, int code) => GetCodes(patient).BinarySearch(code) >= 0;

    /// <summary>A patient in readable form.</summary>
    public PatientRecord GetRecord(int patient)
    {
        var codes = GetCodes(patient);
        var names = new string[codes.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            names[i] = Vocabulary[codes[i]];
        }

        return new PatientRecord(GetPatientId(patient), names);
    }

    /// <summary>All patients in readable form, in row order.</summary>
    public IEnumerable<PatientRecord> Records
    {
        get
        {
            for (int p = 0; p < PatientCount; p++)
            {
                yield return GetRecord(p);
            }
        }
    }

    /// <summary>For each code, the number of patients who have it.</summary>
    public int[] CodeCounts()
    {
        var counts = new int[CodeCount];
        foreach (int c in _codes)
        {
            counts[c]++;
        }

        return counts;
    }

    /// <summary>For each code, the fraction of patients who have it (the empirical mean of the column).</summary>
    public double[] CodePrevalence()
    {
        var counts = CodeCounts();
        var prevalence = new double[counts.Length];
        if (PatientCount == 0)
        {
            return prevalence;
        }

        for (int c = 0; c < counts.Length; c++)
        {
            prevalence[c] = (double)counts[c] / PatientCount;
        }

        return prevalence;
    }

    /// <summary>For each patient, the number of codes.</summary>
    public int[] CodesPerPatient()
    {
        var result = new int[PatientCount];
        for (int p = 0; p < result.Length; p++)
        {
            result[p] = _rowOffsets[p + 1] - _rowOffsets[p];
        }

        return result;
    }

    /// <summary>Number of patients with no codes.</summary>
    public int EmptyPatientCount()
    {
        int n = 0;
        for (int p = 0; p < PatientCount; p++)
        {
            if (_rowOffsets[p + 1] == _rowOffsets[p])
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>
    /// Splits the patients at random into two disjoint datasets. The same seed always gives the same split.
    /// Each part keeps the original row order.
    /// </summary>
    /// <param name="firstFraction">Fraction of patients in the first part, in (0, 1); the count is rounded.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstFraction"/> is not in (0, 1).</exception>
    public (EhrDataset First, EhrDataset Second) Split(double firstFraction, int seed)
    {
        if (!(firstFraction > 0 && firstFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "The fraction must be in (0, 1).");
        }

        int n = PatientCount;
        var order = Permutation(n, seed);
        int firstCount = (int)Math.Round(firstFraction * n, MidpointRounding.AwayFromZero);
        var first = order.AsSpan(0, firstCount).ToArray();
        var second = order.AsSpan(firstCount).ToArray();
        Array.Sort(first);
        Array.Sort(second);
        return (Subset(first), Subset(second));
    }

    /// <summary>A random subset of <paramref name="count"/> distinct patients, in original row order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or exceeds <see cref="PatientCount"/>.</exception>
    public EhrDataset Sample(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, PatientCount);
        if (count == PatientCount)
        {
            return this;
        }

        var chosen = Permutation(PatientCount, seed).AsSpan(0, count).ToArray();
        Array.Sort(chosen);
        return Subset(chosen);
    }

    /// <summary>A dataset of the given patients, in the given order (indices may repeat).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public EhrDataset Subset(ReadOnlySpan<int> patients)
    {
        var offsets = new int[patients.Length + 1];
        for (int i = 0; i < patients.Length; i++)
        {
            CheckPatient(patients[i]);
            offsets[i + 1] = offsets[i] + (_rowOffsets[patients[i] + 1] - _rowOffsets[patients[i]]);
        }

        var codes = new int[offsets[^1]];
        var ids = new string[patients.Length];
        for (int i = 0; i < patients.Length; i++)
        {
            GetCodes(patients[i]).CopyTo(codes.AsSpan(offsets[i]));
            ids[i] = GetPatientId(patients[i]);
        }

        return new EhrDataset(Vocabulary, offsets, codes, ids, "");
    }

    /// <summary>Concatenates patients of datasets that share one vocabulary.</summary>
    /// <exception cref="ArgumentException">The vocabularies differ.</exception>
    public static EhrDataset Concat(IReadOnlyList<EhrDataset> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("Nothing to concatenate.", nameof(parts));
        }

        var vocabulary = parts[0].Vocabulary;
        var builder = new EhrDatasetBuilder(vocabulary);
        foreach (var part in parts)
        {
            if (!part.Vocabulary.Equals(vocabulary))
            {
                throw new ArgumentException("All parts must share one vocabulary.", nameof(parts));
            }

            for (int p = 0; p < part.PatientCount; p++)
            {
                builder.AddPatientSorted(part.GetPatientId(p), part.GetCodes(p));
            }
        }

        return builder.Build();
    }

    /// <summary>Returns the same data with another vocabulary object of identical codes (for example with titles).</summary>
    /// <exception cref="ArgumentException">The codes differ.</exception>
    public EhrDataset WithVocabulary(CodeVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (!vocabulary.Equals(Vocabulary))
        {
            throw new ArgumentException("The new vocabulary must have the same codes in the same order.", nameof(vocabulary));
        }

        return new EhrDataset(vocabulary, _rowOffsets, _codes, _patientIds, _idPrefix);
    }

    /// <summary>
    /// Re-indexes the data onto another vocabulary by code string. Codes that <paramref name="target"/> lacks are
    /// dropped, or reported all at once when <paramref name="throwOnMissing"/> is set.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="throwOnMissing"/> is set and some used codes are missing; the message lists them.</exception>
    public EhrDataset AlignTo(CodeVocabulary target, bool throwOnMissing = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Equals(Vocabulary))
        {
            return ReferenceEquals(target, Vocabulary) ? this : WithVocabulary(target);
        }

        var map = new int[CodeCount];
        var missing = new List<string>();
        var used = CodeCounts();
        for (int c = 0; c < CodeCount; c++)
        {
            map[c] = target.IndexOf(Vocabulary[c]);
            if (map[c] < 0 && used[c] > 0)
            {
                missing.Add(Vocabulary[c]);
            }
        }

        if (throwOnMissing && missing.Count > 0)
        {
            throw new ArgumentException(
                $"{missing.Count} code(s) used by the data are not in the target vocabulary: {string.Join(", ", missing.Take(50))}{(missing.Count > 50 ? ", …" : "")}.",
                nameof(target));
        }

        var offsets = new int[PatientCount + 1];
        var codes = new List<int>(_codes.Length);
        for (int p = 0; p < PatientCount; p++)
        {
            int start = codes.Count;
            foreach (int c in GetCodes(p))
            {
                if (map[c] >= 0)
                {
                    codes.Add(map[c]);
                }
            }

            codes.Sort(start, codes.Count - start, null);
            offsets[p + 1] = codes.Count;
        }

        return new EhrDataset(target, offsets, codes.ToArray(), _patientIds, _idPrefix);
    }

    /// <summary>
    /// Writes patients <paramref name="firstPatient"/>… as dense rows of 0/1 into <paramref name="destination"/>
    /// (row-major, <c>count × CodeCount</c>). The destination is cleared first.
    /// </summary>
    public void FillDense(int firstPatient, int count, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (firstPatient < 0 || firstPatient + count > PatientCount)
        {
            throw new ArgumentOutOfRangeException(nameof(firstPatient), "The patient range is outside the dataset.");
        }

        int m = CodeCount;
        if (destination.Length < count * m)
        {
            throw new ArgumentException($"Destination needs {count * m} values.", nameof(destination));
        }

        destination[..(count * m)].Clear();
        for (int i = 0; i < count; i++)
        {
            foreach (int c in GetCodes(firstPatient + i))
            {
                destination[(i * m) + c] = 1f;
            }
        }
    }

    /// <summary>Writes the given patients as dense 0/1 rows (row-major) into <paramref name="destination"/>, cleared first.</summary>
    public void FillDense(ReadOnlySpan<int> patients, Span<float> destination)
    {
        int m = CodeCount;
        if (destination.Length < patients.Length * m)
        {
            throw new ArgumentException($"Destination needs {patients.Length * m} values.", nameof(destination));
        }

        destination[..(patients.Length * m)].Clear();
        for (int i = 0; i < patients.Length; i++)
        {
            foreach (int c in GetCodes(patients[i]))
            {
                destination[(i * m) + c] = 1f;
            }
        }
    }

    /// <summary>Number of stored codes of the given patients.</summary>
    public int CountStored(ReadOnlySpan<int> patients)
    {
        int n = 0;
        foreach (int p in patients)
        {
            n += GetCodeCount(p);
        }

        return n;
    }

    /// <summary>
    /// Writes the (batch row, column) coordinates of every one of the given patients, for building a dense batch
    /// on a device without a dense host copy. Returns the number of coordinates written.
    /// </summary>
    /// <param name="patients">Patients of the batch; batch row i is <c>patients[i]</c>.</param>
    /// <param name="rows">Receives batch row indices; needs <see cref="CountStored"/> elements.</param>
    /// <param name="columns">Receives column indices; same length.</param>
    public int CopyCoordinates(ReadOnlySpan<int> patients, Span<long> rows, Span<long> columns)
    {
        int k = 0;
        for (int i = 0; i < patients.Length; i++)
        {
            var codes = GetCodes(patients[i]);
            if (k + codes.Length > rows.Length || k + codes.Length > columns.Length)
            {
                throw new ArgumentException("The coordinate buffers are too small; size them with CountStored.", nameof(rows));
            }

            foreach (int c in codes)
            {
                rows[k] = i;
                columns[k] = c;
                k++;
            }
        }

        return k;
    }

    /// <summary>Packs the data by patient: row p holds patient p's codes as bits.</summary>
    public BitMatrix ToPackedRows()
    {
        var bits = new BitMatrix(PatientCount, CodeCount);
        for (int p = 0; p < PatientCount; p++)
        {
            foreach (int c in GetCodes(p))
            {
                bits.Set(p, c);
            }
        }

        return bits;
    }

    /// <summary>Packs the data by code: row c holds, as bits, the patients who have code c.</summary>
    public BitMatrix ToPackedColumns()
    {
        var bits = new BitMatrix(CodeCount, PatientCount);
        for (int p = 0; p < PatientCount; p++)
        {
            foreach (int c in GetCodes(p))
            {
                bits.Set(c, p);
            }
        }

        return bits;
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"EhrDataset({PatientCount} patients × {CodeCount} codes, {StoredCodeCount} stored, {MeanCodesPerPatient:F2} codes/patient)");

    /// <summary>A deterministic permutation of 0..n-1 (Fisher–Yates with <see cref="Random"/>(seed), stable across .NET versions).</summary>
    internal static int[] Permutation(int n, int seed)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var rng = new Random(seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    private void CheckPatient(int patient)
    {
        if ((uint)patient >= (uint)PatientCount)
        {
            throw new ArgumentOutOfRangeException(nameof(patient), patient, $"Patient index must be in [0, {PatientCount}).");
        }
    }
}
