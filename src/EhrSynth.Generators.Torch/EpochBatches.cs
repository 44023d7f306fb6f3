namespace EhrSynth.Generators.Torch;

/// <summary>
/// Hands out batches from a shuffled order of the patients, without replacement; a new order (seeded from the same
/// source) starts when one runs out. With <c>dropLast</c>, a final batch smaller than requested is skipped.
/// </summary>
internal sealed class EpochBatches
{
    private readonly int _patients;
    private readonly bool _dropLast;
    private readonly Random _rng;
    private int[] _order = [];
    private int _position;

    public EpochBatches(int patients, long seed, bool dropLast)
    {
        _patients = patients;
        _dropLast = dropLast;
        _rng = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        Reshuffle();
    }

    public int[] Next(int size)
    {
        size = Math.Min(size, _patients);
        int left = _patients - _position;
        if (left == 0 || (_dropLast && left < size))
        {
            Reshuffle();
            left = _patients;
        }

        int take = Math.Min(size, left);
        var batch = _order.AsSpan(_position, take).ToArray();
        _position += take;
        return batch;
    }

    private void Reshuffle()
    {
        _order = Enumerable.Range(0, _patients).ToArray();
        _rng.Shuffle(_order);
        _position = 0;
    }
}
