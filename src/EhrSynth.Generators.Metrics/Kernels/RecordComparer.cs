using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Metrics.Kernels;

/// <summary>Equality of records as sorted code-index arrays (the whole record, codes and their number).</summary>
internal sealed class RecordComparer : IEqualityComparer<int[]>
{
    public static RecordComparer Instance { get; } = new();

    public bool Equals(int[]? x, int[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(int[] obj)
    {
        var h = new HashCode();
        h.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
        return h.ToHashCode();
    }

    /// <summary>The distinct records of a dataset.</summary>
    public static HashSet<int[]> DistinctRecords(EhrDataset data)
    {
        var set = new HashSet<int[]>(data.PatientCount, Instance);
        for (int p = 0; p < data.PatientCount; p++)
        {
            set.Add(data.GetCodes(p).ToArray());
        }

        return set;
    }
}
