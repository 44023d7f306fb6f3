using EhrSynth.Generators.Data;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli;

/// <summary>
/// Resolves a data argument: an embedded dataset name, a MIMIC-III folder (ADMISSIONS + DIAGNOSES_ICD), the UCI zip or
/// <c>diabetic_data.csv</c>, a long CSV (<c>patient_id,code</c>), or a NumPy <c>.npy</c> with its codes file. Patients
/// without codes follow <c>empty</c>, or each reader's own default when it is <see langword="null"/>.
/// </summary>
internal static class DataSource
{
    public static EhrDataset Load(string spec, EmptyPatientPolicy? empty = null, double? threshold = null, CancellationToken cancellationToken = default)
    {
        if (EhrDatasets.All.Any(d => d.Name.Equals(spec, StringComparison.OrdinalIgnoreCase)) || spec is "uci" or "mimic")
        {
            return EhrDatasets.Load(spec);
        }

        if (Directory.Exists(spec))
        {
            return NotEmpty(MimicIIILoader.Load(spec, new MimicLoadOptions { EmptyPatients = empty ?? new MimicLoadOptions().EmptyPatients }, cancellationToken).Dataset, spec);
        }

        return LoadFile(spec, empty, threshold, cancellationToken);
    }

    /// <summary>A data file only (for synthetic data: a folder is refused, not read as MIMIC-III).</summary>
    public static EhrDataset LoadFile(string path, EmptyPatientPolicy? empty = null, double? threshold = null, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(path))
        {
            throw new EhrDataFormatException("is a folder; a data file (long CSV or .npy with its codes file) was expected", path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No embedded dataset, folder or file '{TextSafety.Printable(path, 200)}'. Embedded: {string.Join(", ", EhrDatasets.All.Select(d => d.Name))}.", path);
        }

        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".npy", StringComparison.Ordinal))
        {
            return NotEmpty(Npy.Read(path, Npy.DefaultCodesPath(path), new NpyReadOptions { EmptyPatients = empty ?? new NpyReadOptions().EmptyPatients, Threshold = threshold }, cancellationToken).Dataset, path);
        }

        if (name.EndsWith(".zip", StringComparison.Ordinal) || name.StartsWith("diabetic_data", StringComparison.Ordinal))
        {
            return NotEmpty(UciDiabetesLoader.Load(path, new UciLoadOptions { EmptyPatients = empty ?? new UciLoadOptions().EmptyPatients }, cancellationToken).Dataset, path);
        }

        return NotEmpty(LongCsv.Read(path, new LongCsvReadOptions { EmptyPatients = empty ?? new LongCsvReadOptions().EmptyPatients }, cancellationToken).Dataset, path);
    }

    private static EhrDataset NotEmpty(EhrDataset data, string path) =>
        data.PatientCount > 0 && data.CodeCount > 0 ? data : throw new EhrDataFormatException("holds no patients with codes", path);
}
