using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Core.Tests.IO;

public class LongCsvTests
{
    [Fact]
    public void WriteThenRead_RoundTripsWithTitlesAndEmptyPatients()
    {
        var vocabulary = new CodeVocabulary(["401", "250", "E878"]).WithTitles(c => c == "401" ? "Hypertension, NOS \"essential\"" : null);
        var data = EhrDataset.FromRecords(
        [
            new PatientRecord("a", ["250", "401"]),
            new PatientRecord("b,1", []),
            new PatientRecord("c", ["E878"]),
        ], vocabulary);
        using var dir = new TempDirectory();
        var path = dir.File("out/data.csv");
        LongCsv.Write(path, data, includeTitles: true);
        var text = File.ReadAllText(path);
        Assert.StartsWith("patient_id,code,title\na,401,\"Hypertension, NOS \"\"essential\"\"\"\na,250,\n\"b,1\",,\n", text, StringComparison.Ordinal);

        var back = LongCsv.Read(path, new LongCsvReadOptions { Vocabulary = vocabulary, EmptyPatients = EmptyPatientPolicy.Keep }).Dataset;
        Assert.Equal(data.Records.Select(r => r.ToString()), back.Records.Select(r => r.ToString()));
        Assert.Empty(Directory.GetFiles(dir.File("out"), "*.tmp"));
    }

    [Fact]
    public void Read_BuildsVocabularyInFirstSeenOrder()
    {
        var r = LongCsv.Read(new StringReader("patient_id,code\nx,428\ny,401\nx,401\n"), "mem");
        Assert.Equal(["428", "401"], r.Dataset.Vocabulary.Codes);
        Assert.Equal(["428", "401"], r.Dataset.GetRecord(0).Codes);
        Assert.Equal(3, r.Report.RowsRead);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("pid,code\nx,1\n", "line 1: unknown header 'pid,code'")]
    [InlineData("patient_id,code\nx,1,2\n", "line 2: expected 2 fields, found 3")]
    [InlineData("patient_id,code\n,401\n", "line 2: patient_id is empty")]
    [InlineData("patient_id,code\nx,401\ny,250\nx,401\n", "line 4, patient 'x', code '401': the patient has this code twice (first on line 2)")]
    [InlineData("patient_id,code\nx,\n", "line 2, patient 'x': the code is empty")]
    [InlineData("patient_id,code\nx,40 1\n", "code '40 1': the code contains white space")]
    public void Read_BadInput_NamesLine(string text, string expected)
    {
        var e = Assert.Throws<EhrDataFormatException>(() => LongCsv.Read(new StringReader(text), "in.csv"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("in.csv", e.Message);
    }

    [Fact]
    public void Read_CodeOutsideGivenVocabulary_NamesCode()
    {
        var e = Assert.Throws<EhrDataFormatException>(() =>
            LongCsv.Read(new StringReader("patient_id,code\nx,999\n"), "in.csv", new LongCsvReadOptions { Vocabulary = new CodeVocabulary(["401"]) }));
        Assert.Equal("999", e.Code);
        Assert.Equal(2, e.LineNumber);
    }
}
