using EhrSynth.Generators.Data;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli;

/// <summary>
/// Resolves a data argument by what the path holds: an embedded dataset name; a folder with MIMIC-IV's
/// <c>diagnoses_icd</c> (an <c>icd_version</c> column; also under <c>hosp/</c>), with OMOP's <c>condition_occurrence</c>
/// or <c>condition_era</c>, or with MIMIC-III's ADMISSIONS + DIAGNOSES_ICD; one of those tables given as a file; the
/// UCI zip or <c>diabetic_data.csv</c>; a <c>.npy</c> with its codes file; a long-format <c>.parquet</c>; else a long
/// CSV (<c>patient_id,code</c>). Codes of a known coding get their ICD titles.
/// </summary>
internal static class DataSource
{
    /// <summary>The kinds of source, as <c>convert</c> names them.</summary>
    public const string Kinds = "an embedded dataset, a MIMIC-III, MIMIC-IV or OMOP folder (or table), the UCI zip or diabetic_data.csv, a long CSV or Parquet file, or a .npy with its codes file";

    public static EhrDataset Load(string spec, SourceOptions options, CancellationToken cancellationToken = default) =>
        LoadWithReport(spec, options, cancellationToken).Dataset;

    /// <summary>Reads a source and says what it was and what the reader did.</summary>
    public static (EhrDataset Dataset, string Kind, LoadReport? Report) LoadWithReport(string spec, SourceOptions options, CancellationToken cancellationToken = default)
    {
        if (EhrDatasets.All.Any(d => d.Name.Equals(spec, StringComparison.OrdinalIgnoreCase)) || spec is "uci" or "mimic")
        {
            var embedded = spec.ToLowerInvariant() is EhrDatasets.MimicIIIDemoName or "mimic" ? EhrDatasets.LoadMimicIIIDemo() : EhrDatasets.LoadUciDiabetes130();
            return (embedded.Dataset, $"embedded {spec}", embedded.Report);
        }

        if (Directory.Exists(spec))
        {
            if (MimicIVLoader.Recognizes(spec))
            {
                return Titled(MimicIVLoader.Load(spec, MimicIV(options), cancellationToken), "MIMIC-IV", spec);
            }

            if (OmopLoader.Recognizes(spec))
            {
                return Titled(OmopLoader.Load(spec, Omop(options), cancellationToken), "OMOP CDM", spec);
            }

            if (!HasMimicIII(spec))
            {
                throw new EhrDataFormatException("holds no source EhrSynth reads: no MIMIC-IV diagnoses_icd (with icd_version; also under hosp/), no OMOP condition_occurrence or condition_era, no MIMIC-III ADMISSIONS and DIAGNOSES_ICD (.csv, .csv.gz or .parquet)", spec);
            }

            return Titled(MimicIIILoader.Load(spec, new MimicLoadOptions { EmptyPatients = options.Empty ?? new MimicLoadOptions().EmptyPatients, Grouping = options.Grouping }, cancellationToken), "MIMIC-III", spec);
        }

        return LoadFileWithReport(spec, options, cancellationToken);
    }

    /// <summary>A data file only (for synthetic data: a folder is refused, not read as a source folder).</summary>
    public static EhrDataset LoadFile(string path, SourceOptions options, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(path))
        {
            throw new EhrDataFormatException("is a folder; a data file (long CSV or Parquet, or .npy with its codes file) was expected", path);
        }

        return LoadFileWithReport(path, options, cancellationToken).Dataset;
    }

    private static (EhrDataset Dataset, string Kind, LoadReport? Report) LoadFileWithReport(string path, SourceOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No embedded dataset, folder or file '{TextSafety.Printable(path, 200)}'. Embedded: {string.Join(", ", EhrDatasets.All.Select(d => d.Name))}.", path);
        }

        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".npy", StringComparison.Ordinal))
        {
            var npy = Npy.Read(path, Npy.DefaultCodesPath(path), new NpyReadOptions { EmptyPatients = options.Empty ?? new NpyReadOptions().EmptyPatients, Threshold = options.Threshold }, cancellationToken);
            return Titled(npy, ".npy", path);
        }

        if (name.EndsWith(".zip", StringComparison.Ordinal) || name.StartsWith("diabetic_data", StringComparison.Ordinal))
        {
            return Titled(UciDiabetesLoader.Load(path, new UciLoadOptions { EmptyPatients = options.Empty ?? new UciLoadOptions().EmptyPatients, Grouping = options.Grouping }, cancellationToken), "UCI Diabetes 130-US", path);
        }

        string table = name.Split('.')[0];
        if (table == "diagnoses_icd" && MimicIVLoader.Recognizes(path))
        {
            return Titled(MimicIVLoader.Load(path, MimicIV(options), cancellationToken), "MIMIC-IV", path);
        }

        if (table is "condition_occurrence" or "condition_era")
        {
            return Titled(OmopLoader.Load(path, Omop(options), cancellationToken), "OMOP CDM", path);
        }

        var longOptions = new LongCsvReadOptions { EmptyPatients = options.Empty ?? new LongCsvReadOptions().EmptyPatients };
        return name.EndsWith(".parquet", StringComparison.Ordinal)
            ? Titled(LongParquet.Read(path, longOptions, cancellationToken), "long Parquet", path)
            : Titled(LongCsv.Read(path, longOptions, cancellationToken), "long CSV", path);
    }

    private static MimicIVLoadOptions MimicIV(SourceOptions o) => new()
    {
        Versions = o.Versions,
        Grouping = o.Grouping,
        EmptyPatients = o.Empty ?? new MimicIVLoadOptions().EmptyPatients,
    };

    private static OmopLoadOptions Omop(SourceOptions o) => new()
    {
        Table = o.OmopTable,
        Codes = o.OmopCodes,
        SourceVocabulary = o.OmopVocabulary,
        Versions = o.Versions,
        Grouping = o.Grouping,
        EmptyPatients = o.Empty ?? new OmopLoadOptions().EmptyPatients,
    };

    /// <summary>Whether <paramref name="folder"/> is a source folder this reader recognises (MIMIC-IV, OMOP CDM or MIMIC-III).</summary>
    public static bool IsSourceFolder(string folder) =>
        Directory.Exists(folder) && (MimicIVLoader.Recognizes(folder) || OmopLoader.Recognizes(folder) || HasMimicIII(folder));

    private static bool HasMimicIII(string folder) =>
        Directory.EnumerateFiles(folder).Select(f => Path.GetFileName(f).ToLowerInvariant())
            .Any(f => f.StartsWith("diagnoses_icd.", StringComparison.Ordinal));

    private static (EhrDataset, string, LoadReport) Titled(EhrLoadResult result, string kind, string path)
    {
        var data = result.Dataset;
        if (data.PatientCount == 0 || data.CodeCount == 0)
        {
            throw new EhrDataFormatException("holds no patients with codes", path);
        }

        return (EhrDatasets.WithTitles(data, result.Report.CodeSystem), kind, result.Report);
    }
}
