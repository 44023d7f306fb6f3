using EhrSynth.Generators.Data;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Core.Tests.Data;

public class EhrDatasetTests
{
    private static readonly CodeVocabulary Abc = new(["a", "b", "c"]);

    private static EhrDataset Small() => EhrDataset.FromRecords(
    [
        new PatientRecord("p1", ["a", "c"]),
        new PatientRecord("p2", ["b"]),
        new PatientRecord("p3", []),
        new PatientRecord("p4", ["c", "b", "a"]),
    ], Abc);

    [Fact]
    public void FromRecords_StoresSortedCsr()
    {
        var d = Small();
        Assert.Equal(4, d.PatientCount);
        Assert.Equal(3, d.CodeCount);
        Assert.Equal(6, d.StoredCodeCount);
        Assert.Equal([0, 1, 2], d.GetCodes(3).ToArray());
        Assert.Equal(["a", "b", "c"], d.GetRecord(3).Codes);
        Assert.Equal("p4", d.GetPatientId(3));
        Assert.Equal(1.5, d.MeanCodesPerPatient);
        Assert.Equal(1, d.EmptyPatientCount());
        Assert.True(d.HasCode(0, 2));
        Assert.False(d.HasCode(0, 1));
    }

    [Fact]
    public void CodePrevalence_IsColumnMean()
    {
        var d = Small();
        Assert.Equal([2, 2, 2], d.CodeCounts());
        Assert.Equal([0.5, 0.5, 0.5], d.CodePrevalence());
        Assert.Equal([2, 1, 0, 3], d.CodesPerPatient());
    }

    [Fact]
    public void FromRecords_UnknownCode_NamesPatientAndCode()
    {
        var e = Assert.Throws<ArgumentException>(() => EhrDataset.FromRecords([new PatientRecord("p9", ["a", "zz"])], Abc));
        Assert.Contains("Patient 'p9': code 'zz' is not in the vocabulary", e.Message);
    }

    [Fact]
    public void FromRecords_DuplicateCode_NamesPatientAndCode()
    {
        var e = Assert.Throws<ArgumentException>(() => EhrDataset.FromRecords([new PatientRecord("p9", ["b", "b"])], Abc));
        Assert.Contains("Patient 'p9': code 'b' occurs twice", e.Message);
    }

    [Fact]
    public void Create_RejectsUnsortedAndOutOfRange()
    {
        Assert.Contains("not sorted", Assert.Throws<ArgumentException>(() => EhrDataset.Create(Abc, [0, 2], [2, 1])).Message);
        Assert.Contains("outside the vocabulary", Assert.Throws<ArgumentException>(() => EhrDataset.Create(Abc, [0, 1], [3])).Message);
        Assert.Contains("start at 0", Assert.Throws<ArgumentException>(() => EhrDataset.Create(Abc, [0, 1], [])).Message);
    }

    [Fact]
    public void FromDense_RoundTripsAndRejectsNonBinary()
    {
        float[] dense = [1, 0, 1, 0, 0, 0];
        var d = EhrDataset.FromDense(dense, Abc);
        Assert.Equal([0, 2], d.GetCodes(0).ToArray());
        Assert.Equal(0, d.GetCodeCount(1));
        var back = new float[6];
        d.FillDense(0, 2, back);
        Assert.Equal(dense, back);

        var e = Assert.Throws<ArgumentException>(() => EhrDataset.FromDense([1, 0.5f, 0], Abc));
        Assert.Contains("Row 0, code 'b': value 0.5 is not 0 or 1", e.Message);
    }

    [Fact]
    public void Split_IsDeterministicDisjointAndComplete()
    {
        var d = Fixtures.Random(101, 10, 0.3, seed: 1);
        var (a1, b1) = d.Split(0.8, seed: 42);
        var (a2, b2) = d.Split(0.8, seed: 42);
        var (a3, _) = d.Split(0.8, seed: 43);
        Assert.Equal(81, a1.PatientCount);
        Assert.Equal(20, b1.PatientCount);
        var ids1 = Ids(a1);
        Assert.Equal(ids1, Ids(a2));
        Assert.Equal(Ids(b1), Ids(b2));
        Assert.NotEqual(ids1, Ids(a3));
        Assert.Empty(ids1.Intersect(Ids(b1)));
        Assert.Equal(Ids(d).Order(), ids1.Concat(Ids(b1)).Order());

        // Rows keep their codes.
        for (int p = 0; p < a1.PatientCount; p++)
        {
            int original = int.Parse(a1.GetPatientId(p)[1..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(d.GetCodes(original).ToArray(), a1.GetCodes(p).ToArray());
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Split_BadFraction_Throws(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Small().Split(fraction, 1));

    [Fact]
    public void Subset_AllowsRepeatsAndKeepsOrder()
    {
        var s = Small().Subset([3, 0, 3]);
        Assert.Equal(["p4", "p1", "p4"], Ids(s));
        Assert.Equal(8, s.StoredCodeCount);
    }

    [Fact]
    public void AlignTo_RemapsByCodeString()
    {
        var d = Small();
        var target = new CodeVocabulary(["c", "x", "a"]);
        var aligned = d.AlignTo(target);
        Assert.Equal(["a", "c"], aligned.GetRecord(0).Codes.Order());
        Assert.Equal(["c", "a"], aligned.GetRecord(0).Codes);
        Assert.Empty(aligned.GetRecord(1).Codes);
        var e = Assert.Throws<ArgumentException>(() => d.AlignTo(target, throwOnMissing: true));
        Assert.Contains("b", e.Message);
    }

    [Fact]
    public void PackedRowsAndColumns_MatchNaive()
    {
        var d = Fixtures.Random(130, 70, 0.2, seed: 3);
        var rows = d.ToPackedRows();
        var cols = d.ToPackedColumns();
        var dense = Fixtures.Dense(d);
        Assert.Equal(2, rows.WordsPerRow);
        Assert.Equal(3, cols.WordsPerRow);
        for (int p = 0; p < d.PatientCount; p++)
        {
            for (int c = 0; c < d.CodeCount; c++)
            {
                Assert.Equal(dense[p, c] == 1, rows[p, c]);
                Assert.Equal(dense[p, c] == 1, cols[c, p]);
            }
        }

        // Intersections and Hamming distances equal naive counts.
        int and = BitMatrix.AndCount(cols.Row(0), cols.Row(1));
        int naiveAnd = Enumerable.Range(0, d.PatientCount).Count(p => dense[p, 0] == 1 && dense[p, 1] == 1);
        Assert.Equal(naiveAnd, and);
        int xor = BitMatrix.XorCount(rows.Row(5), rows.Row(9));
        int naiveXor = Enumerable.Range(0, d.CodeCount).Count(c => dense[5, c] != dense[9, c]);
        Assert.Equal(naiveXor, xor);
        Assert.Equal(d.GetCodeCount(7), rows.PopCount(7));
    }

    [Fact]
    public void CopyCoordinates_ListsBatchRowsAndColumns()
    {
        var d = Small();
        int[] batch = [3, 1];
        var rows = new long[d.CountStored(batch)];
        var cols = new long[rows.Length];
        Assert.Equal(4, d.CopyCoordinates(batch, rows, cols));
        Assert.Equal([0L, 0, 0, 1], rows);
        Assert.Equal([0L, 1, 2, 1], cols);
    }

    [Fact]
    public void Builder_ComputedIds_UsePrefix()
    {
        var b = new EhrDatasetBuilder(Abc, computedIdPrefix: "syn-");
        b.AddPatient([2, 0]);
        b.AddPatient([]);
        var d = b.Build();
        Assert.Equal("syn-1", d.GetPatientId(1));
        Assert.Equal([0, 2], d.GetCodes(0).ToArray());
        Assert.Throws<InvalidOperationException>(() => b.AddPatient("x", [1]));
    }

    private static string[] Ids(EhrDataset d) => Enumerable.Range(0, d.PatientCount).Select(d.GetPatientId).ToArray();
}
