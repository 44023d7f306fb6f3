using System.Text;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Core.Tests.IO;

public class NpyTests
{
    private static readonly CodeVocabulary Abc = new(["a", "b", "c"]);

    [Theory]
    [InlineData(NpyElementType.Bool)]
    [InlineData(NpyElementType.UInt8)]
    [InlineData(NpyElementType.Float32)]
    [InlineData(NpyElementType.Float64)]
    public void WriteThenRead_RoundTrips(NpyElementType type)
    {
        var data = Fixtures.Random(37, 11, 0.3, seed: 5);
        using var dir = new TempDirectory();
        var path = dir.File("x.npy");
        Npy.Write(path, data, type);
        Assert.True(File.Exists(dir.File("x.codes.txt")));
        var back = Npy.Read(path, Npy.DefaultCodesPath(path), new NpyReadOptions { EmptyPatients = EmptyPatientPolicy.Keep }).Dataset;
        Assert.Equal(data.Vocabulary, back.Vocabulary);
        for (int p = 0; p < data.PatientCount; p++)
        {
            Assert.Equal(data.GetCodes(p).ToArray(), back.GetCodes(p).ToArray());
        }
    }

    [Fact]
    public void Write_HeaderIsNumpyFormat()
    {
        var data = EhrDataset.FromDense([1, 0, 1, 0, 1, 0], Abc);
        var ms = new MemoryStream();
        Npy.Write(ms, data);
        var bytes = ms.ToArray();
        Assert.Equal(128 + 6, bytes.Length); // numpy pads the header so the data starts at a multiple of 64
        Assert.Equal((byte)0x93, bytes[0]);
        string header = Encoding.ASCII.GetString(bytes, 10, 118);
        Assert.Equal("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", header.TrimEnd());
        Assert.Equal('\n', header[^1]);
        Assert.Equal(new byte[] { 1, 0, 1, 0, 1, 0 }, bytes[128..]);
    }

    [Fact]
    public void Read_Probabilities_NeedAThreshold()
    {
        var stream = Float64Matrix(2, 3, [0.9, 0.1, 0.5, 0.2, 0.7, 0.0]);
        var e = Assert.Throws<EhrDataFormatException>(() => Npy.Read(stream, "p.npy", Abc));
        Assert.Contains("value 0.9 at row 0 is not 0 or 1", e.Message);
        Assert.Equal("a", e.Code);
        Assert.Equal("0", e.PatientId);

        stream.Position = 0;
        var d = Npy.Read(stream, "p.npy", Abc, new NpyReadOptions { Threshold = 0.5 }).Dataset;
        Assert.Equal([0, 2], d.GetCodes(0).ToArray());
        Assert.Equal([1], d.GetCodes(1).ToArray());
    }

    [Fact]
    public void Read_UInt8NotBinary_IsAnErrorEvenWithThreshold()
    {
        var ms = new MemoryStream();
        Npy.Write(ms, EhrDataset.FromDense([1, 0, 1], Abc));
        var bytes = ms.ToArray();
        bytes[^2] = 2;
        var e = Assert.Throws<EhrDataFormatException>(() => Npy.Read(new MemoryStream(bytes), "u.npy", Abc, new NpyReadOptions { Threshold = 0.5 }));
        Assert.Equal("b", e.Code);
    }

    [Fact]
    public void Read_EmptyRow_FollowsPolicy()
    {
        var stream = Float64Matrix(2, 3, [1, 0, 0, 0, 0, 0]);
        Assert.Equal("1", Assert.Throws<EhrDataFormatException>(() => Npy.Read(stream, "e.npy", Abc)).PatientId);
    }

    [Theory]
    [InlineData("not numpy at all", "bad magic")]
    [InlineData("", "too short")]
    public void Read_NotNpy_Throws(string content, string expected)
    {
        var e = Assert.Throws<EhrDataFormatException>(() => Npy.Read(new MemoryStream(Encoding.ASCII.GetBytes(content)), "z.npy", Abc));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': True, 'shape': (1, 3), }", "Fortran")]
    [InlineData("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 3), }", "'<i4' is not supported")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3, 2), }", "2-D shape")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 4), }", "4 columns but the codes file lists 3")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (5, 3), }", "the header says 5 rows of 3 codes, but the file holds data for 0 rows")]
    public void Read_BadHeaderOrData_Throws(string dict, string expected)
    {
        var e = Assert.Throws<EhrDataFormatException>(() => Npy.Read(RawNpy(dict, []), "h.npy", Abc));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void ReadCodes_DuplicateCode_NamesLine()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<EhrDataFormatException>(() => Npy.ReadCodes(dir.Write("c.txt", "a\nb\na\n")));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("repeats line 1", e.Message);
    }

    private static MemoryStream Float64Matrix(int rows, int cols, double[] values)
    {
        var data = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(data.AsSpan(i * 8), values[i]);
        }

        return RawNpy($"{{'descr': '<f8', 'fortran_order': False, 'shape': ({rows}, {cols}), }}", data);
    }

    private static MemoryStream RawNpy(string dict, byte[] data)
    {
        int total = 10 + dict.Length + 1;
        string header = dict + new string(' ', (64 - (total % 64)) % 64) + "\n";
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y']);
        ms.WriteByte(1);
        ms.WriteByte(0);
        ms.Write(BitConverter.GetBytes((ushort)header.Length));
        ms.Write(Encoding.ASCII.GetBytes(header));
        ms.Write(data);
        ms.Position = 0;
        return ms;
    }
}
