using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Core.Tests.IO;

/// <summary>
/// The hand-written MIMIC-IV, OMOP and DuckDB-Parquet fixtures of tests/fixtures (README there), read into exactly the
/// patient × code sets counted by hand.
/// </summary>
public class SourceFixtureTests
{
    /// <summary>The 70 ICD-10 categories of patient 10000117's long admission, as the fixture lists them.</summary>
    private static readonly string[] LongPatientCategories = ReadGzipLines(Fixtures.Source("mimic-iv/hosp/diagnoses_icd.csv.gz"))
        .Skip(1).Select(l => l.Split(',')).Where(f => f[1] == "27988844").Select(f => "10:" + f[3]).ToArray();

    [Fact]
    public void MimicIV_BothVersions_ReadsTheHandCountedSets()
    {
        var (data, report) = MimicIVLoader.Load(Fixtures.Source("mimic-iv"));

        Assert.Equal(["10000032", "10000068", "10000084", "10000117"], Ids(data));
        Assert.Equal(["9:070", "9:789", "9:287", "9:572", "9:571", "9:V30"], data.GetRecord(0).Codes);
        Assert.Equal(["10:E11", "10:I10", "10:N17"], data.GetRecord(1).Codes);
        Assert.Equal(["10:G31", "10:F02", "10:R44", "10:V30", "10:E78"], data.GetRecord(2).Codes);
        Assert.Equal(70, LongPatientCategories.Length);
        Assert.Equal(["9:401", .. LongPatientCategories], data.GetRecord(3).Codes);
        Assert.Equal(85, data.CodeCount);
        Assert.Equal(85, data.StoredCodeCount);
        Assert.Equal(99, report.RowsRead);
        Assert.Equal(1, report.Skipped["empty icd_code"]);
        Assert.Equal(1, report.Skipped["hadm_id not in admissions"]);
        Assert.Equal(1, report.Skipped["patient with no diagnosis kept"]);
        Assert.Equal(CodeSystem.Icd9And10, report.CodeSystem);
        Assert.Equal(2, report.Files.Count);
    }

    [Fact]
    public void MimicIV_OneVersion_UnmarkedAndTheOtherCounted()
    {
        var (ten, report) = MimicIVLoader.Load(Fixtures.Source("mimic-iv"), new MimicIVLoadOptions { Versions = IcdVersionPolicy.Icd10 });
        Assert.Equal(["10000068", "10000084", "10000117"], Ids(ten));
        Assert.Equal(["E11", "I10", "N17"], ten.GetRecord(0).Codes);
        Assert.Equal(9 + 1, report.Skipped["ICD-9 row (the version policy keeps ICD-10 only)"]);       // 10 ICD-9 rows, one of them empty
        Assert.Equal(2, report.Skipped["patient with no diagnosis kept"]);                            // 10000032 and 10000108
        Assert.Equal(CodeSystem.Icd10, report.CodeSystem);

        var (nine, _) = MimicIVLoader.Load(Fixtures.Source("mimic-iv/hosp/diagnoses_icd.csv.gz"), new MimicIVLoadOptions { Versions = IcdVersionPolicy.Icd9, Grouping = CodeGrouping.Full });
        Assert.Equal(["10000032", "10000117"], Ids(nine));
        Assert.Equal(["07071", "78959", "2875", "5723", "5715", "07070", "V3000"], nine.GetRecord(0).Codes);
    }

    [Fact]
    public void MimicIV_AsParquetWrittenByDuckDb_IsTheSameDataset()
    {
        var csv = MimicIVLoader.Load(Fixtures.Source("mimic-iv")).Dataset;
        var (parquet, report) = MimicIVLoader.Load(Fixtures.Source("mimic-iv-parquet"));
        Assert.Equal(Ids(csv), Ids(parquet));
        Assert.Equal(csv.Vocabulary.Codes, parquet.Vocabulary.Codes);
        for (int p = 0; p < csv.PatientCount; p++)
        {
            Assert.Equal(csv.GetRecord(p).Codes, parquet.GetRecord(p).Codes);
        }

        Assert.All(report.Files, f => Assert.EndsWith(".parquet", f, StringComparison.Ordinal));
    }

    [Fact]
    public void MimicIV_DiagnosesAlone_TakesTheFileOrderAndSaysSo()
    {
        using var dir = new TempDirectory();
        File.Copy(Fixtures.Source("mimic-iv/hosp/diagnoses_icd.csv.gz"), dir.File("diagnoses_icd.csv.gz"));
        var (data, report) = MimicIVLoader.Load(dir.Path);
        Assert.Equal(["10000032", "10000068", "10000084", "10000117"], Ids(data));
        Assert.Equal(["9:572", "9:789", "9:571", "9:070", "9:V30", "9:287"], data.GetRecord(0).Codes);   // file order: 22595853 first
        Assert.Contains(report.Notes, n => n.Contains("no admissions table", StringComparison.Ordinal));
        Assert.Contains("10:I10", data.GetRecord(3).Codes);                                            // hadm 29999999 is kept without admissions
    }

    [Theory]
    [InlineData("subject_id,hadm_id,seq_num,icd_code,icd_version\n1,10,1,4019,11\n", "line 2", "icd_version '11'")]
    [InlineData("subject_id,hadm_id,seq_num,icd_code,icd_version\n1,10,1,12X!,10\n", "line 2", "is not an ICD-10 code")]
    [InlineData("subject_id,hadm_id,seq_num,icd_code\n1,10,1,4019\n", "diagnoses_icd.csv", "missing column(s) 'icd_version'")]
    public void MimicIV_BadRows_NameTheFileAndLine(string diagnoses, string where, string what)
    {
        using var dir = new TempDirectory();
        dir.Write("diagnoses_icd.csv", diagnoses);
        var e = Assert.Throws<EhrDataFormatException>(() => MimicIVLoader.Load(dir.Path));
        Assert.Contains(where, e.Message, StringComparison.Ordinal);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
        Assert.Contains("diagnoses_icd.csv", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MimicIV_ADiagnosisWhoseSubjectDisagreesWithItsAdmission_IsAnError()
    {
        using var dir = new TempDirectory();
        dir.Write("admissions.csv", "subject_id,hadm_id,admittime\n1,10,2100-01-01 00:00:00\n");
        dir.Write("diagnoses_icd.csv", "subject_id,hadm_id,seq_num,icd_code,icd_version\n2,10,1,4019,9\n");
        var e = Assert.Throws<EhrDataFormatException>(() => MimicIVLoader.Load(dir.Path));
        Assert.Contains("hadm_id 10 belongs to subject_id 1 in admissions, not 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Omop_StandardConcepts_WithTitlesFromATabSeparatedConceptTable()
    {
        var (data, report) = OmopLoader.Load(Fixtures.Source("omop"));
        Assert.Equal(["1", "3"], Ids(data));
        Assert.Equal(["320128", "201826", "4329847"], data.Vocabulary.Codes);
        Assert.Equal(["320128", "201826", "4329847"], data.GetRecord(0).Codes);
        Assert.Equal(["320128", "201826", "4329847"], data.GetRecord(1).Codes);     // the set, in column order
        Assert.Equal("Type 2 diabetes mellitus", data.Vocabulary.GetTitle("201826"));
        Assert.Equal(2, report.Skipped["condition_concept_id 0 (no matching concept)"]);
        Assert.Equal(1, report.Skipped["person with no condition kept"]);
        Assert.Equal(9, report.RowsRead);
        Assert.Equal(CodeSystem.OmopConcept, report.CodeSystem);
    }

    [Fact]
    public void Omop_SourceValues_GroupedByTheirConceptsVocabulary()
    {
        var (data, report) = OmopLoader.Load(Fixtures.Source("omop"), new OmopLoadOptions { Codes = OmopCodeColumn.SourceValue });
        Assert.Equal(["1", "3"], Ids(data));
        Assert.Equal(["10:I10", "10:E11", "10:Z99", "9:250", "9:401", "9:410"], data.Vocabulary.Codes);
        Assert.Equal(["10:I10", "10:E11", "10:Z99"], data.GetRecord(0).Codes);
        Assert.Equal(["9:250", "9:401", "9:410"], data.GetRecord(1).Codes);
        Assert.Equal(1, report.Skipped["source value whose condition_source_concept_id is not an ICD9CM or ICD10CM concept"]);
        Assert.Equal(1, report.Skipped["empty condition_source_value"]);
        Assert.Equal(CodeSystem.Icd9And10, report.CodeSystem);

        var ten = OmopLoader.Load(Fixtures.Source("omop/CONDITION_OCCURRENCE.csv"), new OmopLoadOptions { Codes = OmopCodeColumn.SourceValue, SourceVocabulary = OmopSourceVocabulary.Icd10 });
        Assert.Equal(["1", "2"], Ids(ten.Dataset));                                  // R69X is shaped like ICD-10; 401.9 and friends are not
        Assert.Equal(3, ten.Report.Skipped["source value that is not an ICD-10 code"]);
    }

    [Fact]
    public void Omop_ConditionEra_FromAGzippedLowerCaseTable()
    {
        var (data, report) = OmopLoader.Load(Fixtures.Source("omop-era"));
        Assert.Equal(["1", "3"], Ids(data));
        Assert.Equal(["320128", "201826"], data.Vocabulary.Codes);
        Assert.False(data.Vocabulary.HasTitles);
        Assert.Equal(1, report.Skipped["condition_concept_id 0 (no matching concept)"]);
    }

    [Fact]
    public void Omop_ContradictoryOptions_AreListedTogether()
    {
        var e = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            OmopLoader.Load(Fixtures.Source("omop"), new OmopLoadOptions { Table = OmopConditionTable.Era, Codes = OmopCodeColumn.SourceValue }));
        Assert.Contains("condition_era has no source values", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongParquet_WrittenByDuckDb_ReadsEveryRowGroup()
    {
        var (data, report) = LongParquet.Read(Fixtures.Source("parquet/long-duckdb.parquet"), new LongCsvReadOptions { EmptyPatients = EmptyPatientPolicy.Keep });

        Assert.Equal(1251, data.PatientCount);
        Assert.Equal(5001, report.RowsRead);
        Assert.Equal(1, report.EmptyPatientsKept);
        for (int p = 0; p < 1250; p++)
        {
            var expected = Enumerable.Range(0, 4).Select(k => (100 + (10 * k) + (p % 3)).ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal);
            Assert.Equal((1000 + p).ToString(System.Globalization.CultureInfo.InvariantCulture), data.GetPatientId(p));
            Assert.Equal(expected, data.GetRecord(p).Codes.Order(StringComparer.Ordinal));
        }

        Assert.Equal("99999", data.GetPatientId(1250));
        Assert.Empty(data.GetRecord(1250).Codes);
    }

    [Fact]
    public void LongParquet_WhatWeWrite_ReadsBackIdentical_InSeveralRowGroups()
    {
        using var dir = new TempDirectory();
        var random = Fixtures.Random(300, 12, 0.3, seed: 4);
        var builder = new EhrDatasetBuilder(new CodeVocabulary(Enumerable.Range(0, 12).Select(i => $"C{i:D2}"), Enumerable.Range(0, 12).ToDictionary(i => $"C{i:D2}", i => $"title {i}")));
        for (int p = 0; p < random.PatientCount; p++)
        {
            builder.AddPatient($"patient-{p}", random.GetCodes(p));
        }

        var data = builder.Build();
        string path = dir.File("out.parquet");
        AtomicFile.Write(path, stream =>
        {
            using var writer = new LongParquetWriter(stream, includeTitles: true, rowGroupRows: 100);
            writer.Append(data);
        });

        var back = LongParquet.Read(path, new LongCsvReadOptions { Vocabulary = data.Vocabulary, EmptyPatients = EmptyPatientPolicy.Keep }).Dataset;
        Assert.Equal(data.PatientCount, back.PatientCount);
        for (int p = 0; p < data.PatientCount; p++)
        {
            Assert.Equal(data.GetPatientId(p), back.GetPatientId(p));
            Assert.Equal(data.GetCodes(p).ToArray(), back.GetCodes(p).ToArray());
        }

        LongParquet.Write(dir.File("whole.parquet"), data, includeTitles: false);
        Assert.Equal(data.StoredCodeCount, LongParquet.Read(dir.File("whole.parquet"), new LongCsvReadOptions { EmptyPatients = EmptyPatientPolicy.Keep }).Dataset.StoredCodeCount);
    }

    [Fact]
    public void LongParquet_ARepeatedPair_NamesTheRows()
    {
        using var dir = new TempDirectory();
        var twice = new EhrDatasetBuilder(new CodeVocabulary(["a", "b"]));
        twice.AddPatient("p", [0]);
        twice.AddPatient("p", [0, 1]);
        LongParquet.Write(dir.File("twice.parquet"), twice.Build());
        var e = Assert.Throws<EhrDataFormatException>(() => LongParquet.Read(dir.File("twice.parquet")));
        Assert.Contains("twice.parquet, patient 'p', code 'a': row 2: the patient has this code twice (first on row 1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongParquet_AFileThatIsNotParquet_IsBadDataNamingIt()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("fake.parquet", "patient_id,code\np,401\n");
        var e = Assert.Throws<EhrDataFormatException>(() => LongParquet.Read(path));
        Assert.Contains("fake.parquet", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable Parquet file", e.Message, StringComparison.Ordinal);
    }

    private static string[] Ids(EhrDataset data) => [.. Enumerable.Range(0, data.PatientCount).Select(data.GetPatientId)];

    private static string[] ReadGzipLines(string path)
    {
        using var gz = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
