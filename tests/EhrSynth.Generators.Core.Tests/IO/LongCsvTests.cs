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
    [InlineData("patient_id,code\nx,40 1\n", "code '40 1': not a valid code: a code is 1 to 256 characters without white space")]
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

    [Fact]
    public void Write_NeutralisesSpreadsheetFormulasAndControlCharacters()
    {
        var vocabulary = new CodeVocabulary(["401", "428"], new Dictionary<string, string> { ["401"] = "=HYPERLINK(\"http://x\")", ["428"] = "Heart\u001b[31m failure" });
        var builder = new EhrDatasetBuilder(vocabulary);
        builder.AddPatient("@evil", [0, 1]);
        var data = builder.Build();
        var text = new StringWriter();
        LongCsv.Write(text, data, includeTitles: true);
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("'@evil,401,\"'=HYPERLINK(\"\"http://x\"\")\"", lines[1]);
        Assert.Equal("'@evil,428,Heart [31m failure", lines[2]);
    }

    [Theory]
    [InlineData("40\u00001")]
    [InlineData("=1+1")]
    [InlineData("-5")]
    [InlineData("@SUM")]
    public void Read_RefusesCodesThatAreNotCodes(string code)
    {
        var e = Assert.Throws<EhrDataFormatException>(() => LongCsv.Read(new StringReader($"patient_id,code\nx,{code}\n"), "in.csv"));
        Assert.Contains("not a valid code", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', e.Message);
    }

    [Fact]
    public void Read_ALineLongerThanTheLimit_IsRefusedWithoutReadingItWhole()
    {
        var huge = new string('A', InputLimits.MaxLineLength + 10);
        var e = Assert.Throws<EhrDataFormatException>(() => LongCsv.Read(new StringReader("patient_id,code\n" + huge), "big.csv"));
        Assert.Contains("big.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 2 is longer than", e.Message, StringComparison.Ordinal);
    }
}
