namespace EhrSynth.Generators.Llm.Training;

/// <summary>
/// The "Patient ID" numbers of training sentences and generation prompts. All have the same number of digits, k, the
/// fewest for which the k-digit range holds at least twice the training patients; an affine permutation of that range
/// (seeded from the training seed) gives training patient p the p-th number and generation prompt j the (N + j)-th, so
/// prompts look like training sentences (same length, same digits) but never repeat an id the model was trained on —
/// no id → patient channel for memorised records to leak through. Prompts beyond the unused part of the range reuse it.
/// </summary>
internal sealed class PatientIds
{
    private readonly long _low;
    private readonly long _range;
    private readonly long _multiplier;
    private readonly long _offset;

    /// <summary>Ids for <paramref name="trainingPatients"/> training patients, permuted by <paramref name="seed"/>.</summary>
    public PatientIds(int trainingPatients, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trainingPatients);
        TrainingPatients = trainingPatients;
        long low = 1;
        while (9 * low < 2L * Math.Max(1, trainingPatients))
        {
            low *= 10;
        }

        (_low, _range) = (low, 9 * low);
        var rng = new Random(seed);
        long multiplier = (rng.NextInt64(_range / 3, _range) | 1) % _range;
        while (Gcd(multiplier, _range) != 1)
        {
            multiplier = (multiplier + 2) % _range;
        }

        (_multiplier, _offset) = (Math.Max(1, multiplier), rng.NextInt64(_range));
    }

    /// <summary>Training patients (the first ids of the permutation).</summary>
    public int TrainingPatients { get; }

    /// <summary>The id of training patient <paramref name="patient"/> (0-based).</summary>
    public long ForTraining(int patient) => At(patient);

    /// <summary>The id of generation prompt <paramref name="prompt"/> (0-based): never a training id.</summary>
    public long ForSample(long prompt)
    {
        long unused = _range - TrainingPatients;
        return At(TrainingPatients + (prompt % unused));
    }

    /// <summary>Whether <paramref name="id"/> is a training patient's id.</summary>
    public bool IsTrainingId(long id)
    {
        if (id < _low || id >= _low + _range)
        {
            return false;
        }

        // Invert the permutation: index = (id − low − offset) · multiplier⁻¹ mod range.
        long index = (long)(((Int128)Mod(id - _low - _offset, _range) * ModInverse(_multiplier, _range)) % _range);
        return index < TrainingPatients;
    }

    private long At(long index) => _low + (long)((((Int128)index * _multiplier) + _offset) % _range);

    private static long Mod(long a, long m) => ((a % m) + m) % m;

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    private static long ModInverse(long a, long m)
    {
        (long oldR, long r, long oldS, long s) = (a, m, 1, 0);
        while (r != 0)
        {
            long q = oldR / r;
            (oldR, r) = (r, oldR - (q * r));
            (oldS, s) = (s, oldS - (q * s));
        }

        return Mod(oldS, m);
    }
}
