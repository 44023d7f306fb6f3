using System.IO.Compression;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Core.Tests.IO;

public class MimicIIILoaderTests
{
    // Patient 2 is first in file order; its second admission is earlier in time, so its codes come first.
    private const string Admissions = """
        ROW_ID,SUBJECT_ID,HADM_ID,ADMITTIME,DISCHTIME
        1,2,20,2101-05-01 10:00:00,2101-05-03 10:00:00
        2,1,10,2100-01-01 08:00:00,2100-01-02 08:00:00
        3,2,21,2100-12-31 23:59:00,2101-01-02 00:00:00
        """;

    private const string Diagnoses = """
        ROW_ID,SUBJECT_ID,HADM_ID,SEQ_NUM,ICD9_CODE
        1,2,20,1,"4019"
        2,2,20,2,"E8788"
        3,2,21,1,"V4501"
        4,2,21,2,"40391"
        5,1,10,1,"4019"
        6,1,10,2,""
        7,1,10,3,"25000"
        """;

    [Fact]
    public void Load_UnionsAdmissionsInTimeOrder_FirstSeenColumns()
    {
        using var dir = Folder(Admissions, Diagnoses);
        var (data, report) = MimicIIILoader.Load(dir.Path);
        // Walk: patient 2 (adm 21 then 20): V45, 403, 401, E878; patient 1: 401, 250.
        Assert.Equal(["V45", "403", "401", "E878", "250"], data.Vocabulary.Codes);
        Assert.Equal(2, data.PatientCount);
        Assert.Equal("2", data.GetPatientId(0));
        Assert.Equal(["V45", "403", "401", "E878"], data.GetRecord(0).Codes);
        Assert.Equal(["401", "250"], data.GetRecord(1).Codes);
        Assert.Equal(10, report.RowsRead);
        Assert.Equal(1, report.Skipped["empty ICD9_CODE"]);
        Assert.Equal(6, report.StoredCodes);
    }

    [Fact]
    public void Load_SortedAndFullCodeOptions()
    {
        using var dir = Folder(Admissions, Diagnoses);
        var sorted = MimicIIILoader.Load(dir.Path, new MimicLoadOptions { ColumnOrder = CodeOrder.Sorted }).Dataset;
        Assert.Equal(["250", "401", "403", "E878", "V45"], sorted.Vocabulary.Codes);
        var full = MimicIIILoader.Load(dir.Path, new MimicLoadOptions { Grouping = CodeGrouping.Full }).Dataset;
        Assert.Equal(["V4501", "40391", "4019", "E8788", "25000"], full.Vocabulary.Codes);
    }

    [Fact]
    public void Load_GzipAndLowerCaseHeaders()
    {
        using var dir = new TempDirectory();
        WriteGz(dir.File("admissions.csv.gz"), LowerHeader(Admissions));
        WriteGz(dir.File("diagnoses_icd.csv.gz"), LowerHeader(Diagnoses));
        var data = MimicIIILoader.Load(dir.Path).Dataset;
        Assert.Equal(6, data.StoredCodeCount);
        Assert.Equal("E878", data.Vocabulary[3]);
    }

    [Fact]
    public void Load_MissingColumn_NamesFileAndColumn()
    {
        using var dir = Folder(Admissions.Replace("ADMITTIME", "ADMIT_T", StringComparison.Ordinal), Diagnoses);
        var e = Assert.Throws<EhrDataFormatException>(() => MimicIIILoader.Load(dir.Path));
        Assert.Contains("ADMISSIONS.csv, line 1: missing column(s) 'admittime'", e.Message);
    }

    [Fact]
    public void Load_BadTime_NamesLine()
    {
        using var dir = Folder(Admissions.Replace("2100-01-01 08:00:00", "yesterday", StringComparison.Ordinal), Diagnoses);
        var e = Assert.Throws<EhrDataFormatException>(() => MimicIIILoader.Load(dir.Path));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("ADMITTIME 'yesterday'", e.Message);
    }

    [Fact]
    public void Load_UnclosedQuote_NamesLine()
    {
        using var dir = Folder(Admissions, Diagnoses.Replace("5,1,10,1,\"4019\"", "5,1,10,1,\"4019", StringComparison.Ordinal));
        var e = Assert.Throws<EhrDataFormatException>(() => MimicIIILoader.Load(dir.Path));
        Assert.Equal(6, e.LineNumber);
        Assert.Contains("quote", e.Message);
    }

    [Fact]
    public void Load_ShortRow_NamesLine()
    {
        using var dir = Folder(Admissions, Diagnoses + "\n8,1,10");
        var e = Assert.Throws<EhrDataFormatException>(() => MimicIIILoader.Load(dir.Path));
        Assert.Equal(9, e.LineNumber);
        Assert.Contains("expected at least 5 fields, found 3", e.Message);
    }

    [Fact]
    public void Load_DuplicateAdmission_Throws()
    {
        using var dir = Folder(Admissions + "\n4,3,20,2100-01-01 00:00:00,x", Diagnoses);
        Assert.Contains("HADM_ID 20 occurs twice", Assert.Throws<EhrDataFormatException>(() => MimicIIILoader.Load(dir.Path)).Message);
    }

    [Fact]
    public void Load_EmptyFile_Throws()
    {
        using var dir = Folder("", Diagnoses);
        Assert.Contains("empty", Assert.Throws<EhrDataFormatException>(() => MimicIIILoader.Load(dir.Path)).Message);
    }

    [Fact]
    public void Load_MissingTable_Throws()
    {
        using var dir = new TempDirectory();
        dir.Write("ADMISSIONS.csv", Admissions);
        Assert.Throws<FileNotFoundException>(() => MimicIIILoader.Load(dir.Path));
    }

    [Fact]
    public void Load_PatientWithoutCodes_FollowsPolicy()
    {
        string admissions = Admissions + "\n4,3,30,2100-01-01 00:00:00,x";
        using var dir = Folder(admissions, Diagnoses);
        var e = Assert.Throws<EhrDataFormatException>(() => MimicIIILoader.Load(dir.Path));
        Assert.Equal("3", e.PatientId);
        var skipped = MimicIIILoader.Load(dir.Path, new MimicLoadOptions { EmptyPatients = EmptyPatientPolicy.Skip });
        Assert.Equal(2, skipped.Dataset.PatientCount);
        Assert.Equal(1, skipped.Report.Skipped["patient with no diagnosis codes"]);
        var kept = MimicIIILoader.Load(dir.Path, new MimicLoadOptions { EmptyPatients = EmptyPatientPolicy.Keep });
        Assert.Equal(3, kept.Dataset.PatientCount);
        Assert.Equal(1, kept.Report.EmptyPatientsKept);
    }

    [Fact]
    public void Load_DiagnosisOfUnknownAdmission_IsSkippedAndCounted()
    {
        using var dir = Folder(Admissions, Diagnoses + "\n8,9,99,1,\"4280\"");
        var r = MimicIIILoader.Load(dir.Path);
        Assert.Equal(1, r.Report.Skipped["HADM_ID not in ADMISSIONS"]);
        Assert.DoesNotContain("428", r.Dataset.Vocabulary);
    }

    private static TempDirectory Folder(string admissions, string diagnoses)
    {
        var dir = new TempDirectory();
        dir.Write("ADMISSIONS.csv", admissions);
        dir.Write("DIAGNOSES_ICD.csv", diagnoses);
        return dir;
    }

    private static string LowerHeader(string table)
    {
        int end = table.IndexOf('\n', StringComparison.Ordinal);
        return table[..end].ToLowerInvariant() + table[end..];
    }

    private static void WriteGz(string path, string content)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        using var w = new StreamWriter(gz);
        w.Write(content);
    }
}
