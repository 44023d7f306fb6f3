using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Core.Tests.IO;

public class UciDiabetesLoaderTests
{
    private const string Csv = """
        encounter_id,patient_nbr,race,diag_1,diag_2,diag_3,number_diagnoses
        1,100,x,250.83,8,?,3
        2,200,x,V57,E909,414,3
        3,100,x,250.01,428,38,3
        4,300,x,?,?,?,0
        """;

    [Fact]
    public void Load_UnionsEncountersAndNormalises()
    {
        using var dir = new TempDirectory();
        var (data, report) = UciDiabetesLoader.Load(dir.Write("diabetic_data.csv", Csv));
        Assert.Equal(["250", "008", "V57", "E909", "414", "428", "038"], data.Vocabulary.Codes);
        Assert.Equal(3, data.PatientCount);
        Assert.Equal(["250", "008", "428", "038"], data.GetRecord(0).Codes);
        Assert.Empty(data.GetRecord(2).Codes);
        Assert.Equal(1, report.EmptyPatientsKept);
        Assert.Equal(4, report.Skipped["missing diagnosis ('?')"]);
    }

    [Fact]
    public void Load_EmptyPatientPolicyThrow_NamesPatient()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("diabetic_data.csv", Csv);
        var e = Assert.Throws<EhrDataFormatException>(() => UciDiabetesLoader.Load(path, new UciLoadOptions { EmptyPatients = EmptyPatientPolicy.Throw }));
        Assert.Equal("300", e.PatientId);
    }

    [Fact]
    public void Load_NotACode_NamesLineAndColumn()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("diabetic_data.csv", Csv.Replace("E909", "E9x9", StringComparison.Ordinal));
        var e = Assert.Throws<EhrDataFormatException>(() => UciDiabetesLoader.Load(path));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("diag_2 value 'E9x9' is not an ICD-9 code", e.Message);
    }

    [Fact]
    public void Load_ZipWithoutCsv_Throws()
    {
        using var dir = new TempDirectory();
        var zip = dir.File("empty.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            archive.CreateEntry("readme.txt");
        }

        var e = Assert.Throws<EhrDataFormatException>(() => UciDiabetesLoader.Load(zip));
        Assert.Contains("empty.zip: the archive has no diabetic_data.csv entry", e.Message, StringComparison.Ordinal);
    }
}
