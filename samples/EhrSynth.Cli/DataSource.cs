using EhrSynth.Generators.Data;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.IO;

namespace EhrSynth.Cli;

/// <summary>
/// Resolves a data argument: an embedded dataset name, a MIMIC-III folder (ADMISSIONS + DIAGNOSES_ICD), the UCI zip or
/// <c>diabetic_data.csv</c>, a long CSV (<c>patient_id,code</c>), or a NumPy <c>.npy</c> with its codes file.
/// </summary>
internal static class DataSource
{
    public static EhrDataset Load(string spec, CodeVocabulary? vocabulary = null, bool acceptEmptyRecords = false, double? threshold = null)
    {
        var empty = acceptEmptyRecords ? EmptyPatientPolicy.Keep : EmptyPatientPolicy.Throw;
        if (EhrDatasets.All.Any(d => d.Name.Equals(spec, StringComparison.OrdinalIgnoreCase)) || spec is "uci" or "mimic")
        {
            return EhrDatasets.Load(spec);
        }

        if (Directory.Exists(spec))
        {
            return MimicIIILoader.Load(spec, new MimicLoadOptions { EmptyPatients = empty }).Dataset;
        }

        if (!File.Exists(spec))
        {
            throw new FileNotFoundException($"No embedded dataset, folder or file '{spec}'. Embedded: {string.Join(", ", EhrDatasets.All.Select(d => d.Name))}.", spec);
        }

        string name = Path.GetFileName(spec).ToLowerInvariant();
        if (name.EndsWith(".npy", StringComparison.Ordinal))
        {
            var options = new NpyReadOptions { EmptyPatients = empty, Threshold = threshold };
            return vocabulary is null
                ? Npy.Read(spec, Npy.DefaultCodesPath(spec), options).Dataset
                : Npy.Read(File.OpenRead(spec), spec, Npy.ReadCodes(Npy.DefaultCodesPath(spec)), options).Dataset;
        }

        if (name.EndsWith(".zip", StringComparison.Ordinal) || name.StartsWith("diabetic_data", StringComparison.Ordinal))
        {
            return UciDiabetesLoader.Load(spec).Dataset;
        }

        return LongCsv.Read(spec, new LongCsvReadOptions { Vocabulary = vocabulary, EmptyPatients = empty }).Dataset;
    }

    public static void Write(string path, EhrDataset data)
    {
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            Npy.Write(path, data);
        }
        else
        {
            LongCsv.Write(path, data, includeTitles: true);
        }
    }
}
