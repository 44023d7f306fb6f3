using System.IO.Compression;
using System.Security.Cryptography;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Datasets.Tests;

public class EhrDatasetsTests
{
    [Fact]
    public void MimicIIIDemo_HasThePublishedCounts()
    {
        var (data, report) = EhrDatasets.LoadMimicIIIDemo();
        Assert.Equal(100, data.PatientCount);
        Assert.Equal(275, data.CodeCount);
        Assert.Equal(1330, data.StoredCodeCount);
        Assert.Equal(13.3, data.MeanCodesPerPatient, 10);
        Assert.Equal(129 + 1761, report.RowsRead);
        Assert.Empty(report.Skipped);

        // Values computed independently with a Python re-implementation of medGAN's process_mimic.py.
        Assert.Equal(["995", "996", "567", "403", "427", "428", "424", "287"], data.Vocabulary.Codes.Take(8));
        Assert.Equal("10006", data.GetPatientId(0));
        Assert.Equal(
            ["038", "250", "274", "285", "287", "305", "403", "414", "424", "427", "428", "562", "567", "785", "995", "996", "E879", "E934", "V09", "V58"],
            data.GetRecord(0).Codes.Order(StringComparer.Ordinal));
        Assert.Equal("44228", data.GetPatientId(99));
        var counts = data.CodeCounts();
        Assert.Equal(47, counts[data.Vocabulary.IndexOf("427")]);
        Assert.Equal(45, counts[data.Vocabulary.IndexOf("276")]);
    }

    [Fact]
    public void MimicIIIDemo_FullCodes_Has581Codes()
    {
        var data = EhrDatasets.MimicIIIDemo(new MimicLoadOptions { Grouping = CodeGrouping.Full });
        Assert.Equal(581, data.CodeCount);
    }

    [Fact]
    public void MimicIIIDemo_FromFolderAndGzip_EqualsEmbedded()
    {
        using var dir = new TempDirectory();
        Extract("mimic-iii-demo/ADMISSIONS.csv", dir.File("ADMISSIONS.csv"));
        using (var gz = new GZipStream(File.Create(dir.File("DIAGNOSES_ICD.csv.gz")), CompressionLevel.Fastest))
        using (var src = EhrDatasets.OpenResource("mimic-iii-demo/DIAGNOSES_ICD.csv"))
        {
            src.CopyTo(gz);
        }

        var fromDisk = MimicIIILoader.Load(dir.Path).Dataset;
        var embedded = EhrDatasets.MimicIIIDemo();
        Assert.Equal(embedded.Vocabulary, fromDisk.Vocabulary);
        Assert.Equal(embedded.Records.Select(r => r.ToString()), fromDisk.Records.Select(r => r.ToString()));
    }

    [Fact]
    public void UciDiabetes130_HasThePublishedCounts()
    {
        var (data, report) = EhrDatasets.LoadUciDiabetes130();
        Assert.Equal(71_518, data.PatientCount);
        Assert.Equal(881, data.CodeCount);
        Assert.Equal(3.67, data.MeanCodesPerPatient, 2);
        Assert.Equal(101_766, report.RowsRead);
        Assert.Equal(1, report.EmptyPatientsKept);
        Assert.Equal(1802, report.Skipped["missing diagnosis ('?')"]);
        var counts = data.CodeCounts();
        Assert.Equal(31_188, counts[data.Vocabulary.IndexOf("250")]);
        Assert.Equal(85, data.Vocabulary.Count(c => c.StartsWith('E')));
        Assert.Equal(49, data.Vocabulary.Count(c => c.StartsWith('V')));
        Assert.True(data.Vocabulary.Contains("008"));
    }

    [Fact]
    public void UciDiabetes130_FromZipFileAndExtractedCsv_AgreeWithEmbedded()
    {
        using var dir = new TempDirectory();
        var zip = dir.File("uci.zip");
        Extract("uci-diabetes-130-us/diabetes_130_us_hospitals_1999_2008.zip", zip);
        var fromZip = UciDiabetesLoader.Load(zip).Dataset;
        Assert.Equal(EhrDatasets.UciDiabetes130().StoredCodeCount, fromZip.StoredCodeCount);

        using (var archive = ZipFile.OpenRead(zip))
        {
            archive.Entries.Single(e => e.Name == "diabetic_data.csv").ExtractToFile(dir.File("diabetic_data.csv"));
        }

        var fromCsv = UciDiabetesLoader.Load(dir.File("diabetic_data.csv"), new UciLoadOptions { ColumnOrder = CodeOrder.Sorted }).Dataset;
        Assert.Equal(881, fromCsv.CodeCount);
        Assert.Equal(fromZip.Vocabulary.Order(StringComparer.Ordinal), fromCsv.Vocabulary.Codes);
    }

    [Fact]
    public void Titles_CoverTheDatasets()
    {
        var titles = EhrDatasets.Icd9Titles();
        Assert.Equal(14_567, titles.Count);
        Assert.Equal("Cholera d/t vib cholerae", titles.GetTitle("0010"));
        Assert.Equal("Hypertension NOS", titles.Describe("401"));
        var mimic = EhrDatasets.MimicIIIDemo();
        Assert.True(mimic.Vocabulary.Count(c => mimic.Vocabulary.GetTitle(c) is null) <= 2);
        Assert.Equal(14_567, EhrDatasets.MimicIIIDemoTitles().Count);
    }

    [Fact]
    public void Icd10Titles_CategoriesAndLongestPrefix()
    {
        var titles = EhrDatasets.Icd10Titles();
        Assert.Equal(24_628, titles.Count);
        Assert.Equal(1_910, titles.Categories().Count);
        Assert.Equal("Type 2 diabetes mellitus", titles.Describe("E11"));
        Assert.Equal("Type 2 diabetes mellitus with hyperglycemia", titles.Describe("E1165"));
        Assert.Equal("Type 2 diabetes mellitus with hyperglycemia", titles.Describe("E1165Z"));               // no row of its own: the longest prefix
        Assert.Null(titles.Describe("XYZ"));
        Assert.Contains("EhrSynth.Generators.Datasets", typeof(EhrDatasets).Assembly.GetName().Name, StringComparison.Ordinal);
        Assert.Contains("icd10cm-cms-2018/README.md", EhrDatasets.ResourceNames);
    }

    [Fact]
    public void WithTitles_FollowsEachCodesVersion_AndKeepsTitlesTheDataHas()
    {
        var builder = new EhrDatasetBuilder(new CodeVocabulary(["9:V30", "10:V30", "10:E11", "other"], new Dictionary<string, string> { ["other"] = "mine" }));
        builder.AddPatient("p", [0, 1, 2, 3]);
        var titled = EhrDatasets.WithTitles(builder.Build(), CodeSystem.Icd9And10);
        Assert.Equal(EhrDatasets.Icd9Titles().Describe("V30"), titled.Vocabulary.GetTitle("9:V30"));
        Assert.Equal(EhrDatasets.Icd10Titles().Describe("V30"), titled.Vocabulary.GetTitle("10:V30"));
        Assert.NotEqual(titled.Vocabulary.GetTitle("9:V30"), titled.Vocabulary.GetTitle("10:V30"));
        Assert.Equal("Type 2 diabetes mellitus", titled.Vocabulary.GetTitle("10:E11"));
        Assert.Equal("mine", titled.Vocabulary.GetTitle("other"));

        var both = EhrDatasets.PublicCategories(CodeSystem.Icd9And10)!;
        Assert.Equal(EhrDatasets.Icd9Titles().Categories().Count + 1_910, both.Count);
        Assert.True(both.Contains("9:401") && both.Contains("10:I10") && !both.Contains("I10"));
        Assert.Null(EhrDatasets.PublicCategories(CodeSystem.OmopConcept));
    }

    [Fact]
    public void Licences_AreEmbeddedByteForByte()
    {
        using var licence = EhrDatasets.OpenResource("mimic-iii-demo/LICENSE.txt");
        Assert.Equal("bcdfcd4f31c790e30fb645dc36414907172405897adff329ad379eed85d12017", Convert.ToHexStringLower(SHA256.HashData(licence)));
        using var zip = EhrDatasets.OpenResource("uci-diabetes-130-us/diabetes_130_us_hospitals_1999_2008.zip");
        Assert.Equal("317d6d5aaa6d9f2f97a943c9abdae88b37b05ddc1b499112aaaa315f10414812", Convert.ToHexStringLower(SHA256.HashData(zip)));
        Assert.Contains("uci-diabetes-130-us/README.md", EhrDatasets.ResourceNames);
        Assert.All(EhrDatasets.All, d => Assert.False(string.IsNullOrWhiteSpace(d.Attribution)));
    }

    [Fact]
    public void Load_ByName_AndUnknownNameListsKnown()
    {
        Assert.Equal(100, EhrDatasets.Load("mimic-iii-demo").PatientCount);
        var e = Assert.Throws<ArgumentException>(() => EhrDatasets.Load("nope"));
        Assert.Contains("uci-diabetes-130", e.Message);
    }

    private static void Extract(string resource, string path)
    {
        using var src = EhrDatasets.OpenResource(resource);
        using var dst = File.Create(path);
        src.CopyTo(dst);
    }
}
