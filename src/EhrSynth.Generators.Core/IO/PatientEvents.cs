using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>
/// Diagnosis events (patient, order, code) gathered from event tables (MIMIC-IV <c>diagnoses_icd</c>, OMOP
/// <c>condition_occurrence</c>) in blocks of 65,536 — 12 bytes an event, never copied to grow, with patient ids and
/// codes interned once — and turned into one row per patient: the union of the patient's codes, with columns in the order codes are first met
/// walking patients in order and each patient's events by (order, row).
/// </summary>
internal sealed class PatientEvents
{
    private readonly Dictionary<string, int> _patients = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _codeNames = [];
    private const int BlockBits = 16;
    private const int BlockMask = (1 << BlockBits) - 1;
    private readonly List<Event[]> _blocks = [];
    private int _count;

    /// <summary>Patients so far.</summary>
    public int PatientCount => _ids.Count;

    /// <summary>Events so far.</summary>
    public int EventCount => _count;

    /// <summary>The index of a patient, added in first-seen order.</summary>
    public int Patient(ReadOnlySpan<char> id)
    {
        if (_patients.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id, out int p))
        {
            return p;
        }

        string text = id.ToString();
        _patients.Add(text, _ids.Count);
        _ids.Add(text);
        return _ids.Count - 1;
    }

    /// <summary>The index of a patient already seen, without adding one.</summary>
    public bool TryFindPatient(ReadOnlySpan<char> id, out int patient) =>
        _patients.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id, out patient);

    /// <summary>The id of a patient.</summary>
    public string PatientId(int patient) => _ids[patient];

    /// <summary>The index of a (grouped) code.</summary>
    public int Code(string code)
    {
        if (!_codes.TryGetValue(code, out int c))
        {
            c = _codeNames.Count;
            _codes.Add(code, c);
            _codeNames.Add(code);
        }

        return c;
    }

    /// <summary>Adds an event.</summary>
    /// <exception cref="EhrDataFormatException">More than 2³¹ − 1 events: the data is too large to load at once.</exception>
    public void Add(int patient, int order, int code)
    {
        if ((_count & BlockMask) == 0)
        {
            if (_count == int.MaxValue - BlockMask)
            {
                throw new EhrDataFormatException($"more than {int.MaxValue - BlockMask:N0} diagnosis events; the data is too large to load at once");
            }

            _blocks.Add(new Event[1 << BlockBits]);
        }

        _blocks[_count >> BlockBits][_count & BlockMask] = new Event(patient, order, code);
        _count++;
    }

    /// <summary>The dataset: one row per patient in first-seen order, empty patients as <paramref name="empty"/> says.</summary>
    /// <param name="columnOrder">First-seen (medGAN) or sorted columns.</param>
    /// <param name="empty">What to do with a patient with no events.</param>
    /// <param name="report">Receives skipped and kept empty patients, and the sizes.</param>
    /// <param name="file">The table named in an error about an empty patient.</param>
    /// <param name="emptyReason">How a skipped empty patient is counted in the report.</param>
    /// <param name="cancellationToken">Checked every 65,536 patients.</param>
    public EhrDataset Build(CodeOrder columnOrder, EmptyPatientPolicy empty, LoadReport report, string file, string emptyReason, CancellationToken cancellationToken)
    {
        // Counting sort of the events by patient (stable: rows keep their order within a patient).
        var start = new int[_ids.Count + 1];
        for (int e = 0; e < _count; e++)
        {
            start[At(e).Patient + 1]++;
        }

        for (int p = 0; p < _ids.Count; p++)
        {
            start[p + 1] += start[p];
        }

        var byPatient = new int[_count];
        var next = (int[])start.Clone();
        for (int e = 0; e < _count; e++)
        {
            byPatient[next[At(e).Patient]++] = e;
        }

        var column = new int[_codeNames.Count];
        Array.Fill(column, -1);
        var seenBy = new int[_codeNames.Count];
        Array.Fill(seenBy, -1);
        var firstSeen = new List<string>();
        var rows = new List<(string Id, int[] Codes)>(_ids.Count);
        var keys = new List<long>();
        var current = new List<int>();
        for (int p = 0; p < _ids.Count; p++)
        {
            if ((p & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            keys.Clear();
            for (int i = start[p]; i < start[p + 1]; i++)
            {
                int e = byPatient[i];
                keys.Add(((long)At(e).Order << 32) | (uint)(i - start[p]));     // (order, row within the patient)
            }

            keys.Sort();
            current.Clear();
            foreach (long key in keys)
            {
                int code = At(byPatient[start[p] + (int)(key & 0xFFFFFFFF)]).Code;
                if (seenBy[code] == p)
                {
                    continue;
                }

                seenBy[code] = p;
                if (column[code] < 0)
                {
                    column[code] = firstSeen.Count;
                    firstSeen.Add(_codeNames[code]);
                }

                current.Add(column[code]);
            }

            if (current.Count == 0)
            {
                switch (empty)
                {
                    case EmptyPatientPolicy.Throw:
                        throw new EhrDataFormatException($"the patient has no diagnosis codes (to accept it, keep or skip empty patients: EmptyPatients in the library, --empty-patients on the command line)", file, patientId: _ids[p]);
                    case EmptyPatientPolicy.Skip:
                        report.Skip(emptyReason);
                        continue;
                    default:
                        report.EmptyPatientsKept++;
                        break;
                }
            }

            rows.Add((_ids[p], current.ToArray()));
        }

        var dataset = EhrDatasetAssembly.Build(rows, firstSeen, columnOrder);
        report.Patients = dataset.PatientCount;
        report.Codes = dataset.CodeCount;
        report.StoredCodes = dataset.StoredCodeCount;
        return dataset;
    }

    private ref readonly Event At(int e) => ref _blocks[e >> BlockBits][e & BlockMask];

    /// <summary>One diagnosis row: the patient, its order key (admission rank or day), the code.</summary>
    private readonly record struct Event(int Patient, int Order, int Code);
}
