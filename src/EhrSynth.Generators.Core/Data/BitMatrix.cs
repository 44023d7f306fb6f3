using System.Numerics;

namespace EhrSynth.Generators.Data;

/// <summary>
/// A dense bit matrix with each row packed into 64-bit words, for fast set operations on binary data
/// (co-occurrence counts by <c>PopCount(a &amp; b)</c>, Hamming distances by <c>PopCount(a ^ b)</c>).
/// </summary>
/// <remarks>Bits past <see cref="ColumnCount"/> in a row's last word are always zero.</remarks>
public sealed class BitMatrix
{
    private readonly ulong[] _words;

    /// <summary>Creates an all-zero matrix.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public BitMatrix(int rowCount, int columnCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(columnCount);
        RowCount = rowCount;
        ColumnCount = columnCount;
        WordsPerRow = (columnCount + 63) >> 6;
        _words = new ulong[(long)rowCount * WordsPerRow];
    }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Number of bits per row.</summary>
    public int ColumnCount { get; }

    /// <summary>Number of 64-bit words per row, ⌈<see cref="ColumnCount"/> / 64⌉.</summary>
    public int WordsPerRow { get; }

    /// <summary>The packed words of one row.</summary>
    public ReadOnlySpan<ulong> Row(int row) => _words.AsSpan(RowStart(row), WordsPerRow);

    /// <summary>All words, row after row.</summary>
    public ReadOnlySpan<ulong> Words => _words;

    /// <summary>Reads one bit.</summary>
    public bool this[int row, int column]
    {
        get
        {
            CheckColumn(column);
            return (_words[RowStart(row) + (column >> 6)] & (1UL << (column & 63))) != 0;
        }
    }

    /// <summary>Sets one bit.</summary>
    public void Set(int row, int column)
    {
        CheckColumn(column);
        _words[RowStart(row) + (column >> 6)] |= 1UL << (column & 63);
    }

    /// <summary>Number of set bits in a row.</summary>
    public int PopCount(int row)
    {
        int n = 0;
        foreach (ulong w in Row(row))
        {
            n += BitOperations.PopCount(w);
        }

        return n;
    }

    /// <summary>Number of bits set in both rows (size of the intersection).</summary>
    public static int AndCount(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        int n = 0;
        for (int i = 0; i < a.Length; i++)
        {
            n += BitOperations.PopCount(a[i] & b[i]);
        }

        return n;
    }

    /// <summary>Number of bits that differ (Hamming distance).</summary>
    public static int XorCount(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        int n = 0;
        for (int i = 0; i < a.Length; i++)
        {
            n += BitOperations.PopCount(a[i] ^ b[i]);
        }

        return n;
    }

    private int RowStart(int row)
    {
        if ((uint)row >= (uint)RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {RowCount}).");
        }

        return checked(row * WordsPerRow);
    }

    private void CheckColumn(int column)
    {
        if ((uint)column >= (uint)ColumnCount)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"Column must be in [0, {ColumnCount}).");
        }
    }
}
