using System.Globalization;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Datasets;

// Quickstart: the embedded open datasets and their statistics.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
foreach (var info in EhrDatasets.All)
{
    var (data, report) = info.Name == EhrDatasets.MimicIIIDemoName ? EhrDatasets.LoadMimicIIIDemo() : EhrDatasets.LoadUciDiabetes130();
    Console.WriteLine($"{info.Title}");
    Console.WriteLine($"  {data.PatientCount:N0} patients × {data.CodeCount:N0} codes, {data.MeanCodesPerPatient:F2} codes/patient, {data.EmptyPatientCount()} with none");
    Console.WriteLine($"  {report.RowsRead:N0} rows read; licence: {info.Licence}");
    PrintTopCodes(data, 8);
    Console.WriteLine();
}

static void PrintTopCodes(EhrDataset data, int k)
{
    var prevalence = data.CodePrevalence();
    foreach (int c in Enumerable.Range(0, data.CodeCount).OrderByDescending(c => prevalence[c]).Take(k))
    {
        Console.WriteLine($"    {data.Vocabulary[c],-5} {prevalence[c],6:P1}  {data.Vocabulary.GetTitle(c)}");
    }
}
