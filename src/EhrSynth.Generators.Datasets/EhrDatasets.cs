using System.Text;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Datasets;

/// <summary>
/// Open demo datasets embedded in this assembly: they work offline with zero setup, like scikit-learn's
/// <c>load_*</c> functions. Code columns carry ICD-9-CM titles (CMS v32).
/// </summary>
/// <remarks>
/// <para><b>MIMIC-III Clinical Database Demo v1.4</b>: 100 patients; Open Database License (ODbL) 1.0. Contains
/// information from the MIMIC-III Clinical Database Demo (v1.4), which is made available here under the Open
/// Database License (ODbL). A database derived from it must also be released under the ODbL.</para>
/// <para><b>UCI Diabetes 130-US Hospitals for Years 1999–2008</b>: 71,518 patients; CC BY 4.0, Clore, Cios,
/// DeShazo and Strack (2014), UCI Machine Learning Repository.</para>
/// <para><b>ICD-9-CM titles v32</b>: Centers for Medicare &amp; Medicaid Services; US public domain.</para>
/// <para><b>ICD-10-CM category titles, FY2018</b>: Centers for Medicare &amp; Medicaid Services code files (ICD-10-CM is
/// maintained by the National Center for Health Statistics); US government work, free to use.</para>
/// </remarks>
public static class EhrDatasets
{
    /// <summary>Name of the MIMIC-III demo for <see cref="Load"/>.</summary>
    public const string MimicIIIDemoName = "mimic-iii-demo";

    /// <summary>Name of the UCI Diabetes data for <see cref="Load"/>.</summary>
    public const string UciDiabetes130Name = "uci-diabetes-130";

    private static readonly Lazy<IO.Icd9Titles> CmsTitles = new(() =>
    {
        using var reader = OpenText("icd9cm-cms-v32/CMS32_DESC_SHORT_DX.txt");
        return IO.Icd9Titles.LoadCms(reader, "embedded icd9cm-cms-v32/CMS32_DESC_SHORT_DX.txt");
    });

    private static readonly Lazy<IO.Icd10Titles> CmsIcd10Titles = new(() =>
    {
        using var reader = OpenText("icd10cm-cms-2018/categories.csv");
        return IO.Icd10Titles.Load(reader, "embedded icd10cm-cms-2018/categories.csv");
    });

    private static readonly Lazy<EhrLoadResult> DefaultMimic = new(() => LoadMimicIIIDemoCore(null));
    private static readonly Lazy<EhrLoadResult> DefaultUci = new(() => LoadUciDiabetes130Core(null));

    /// <summary>The embedded datasets.</summary>
    public static IReadOnlyList<EmbeddedDatasetInfo> All { get; } =
    [
        new(MimicIIIDemoName,
            "MIMIC-III Clinical Database Demo v1.4 (diagnoses)",
            "100 ICU patients; each row is the union of a patient's ICD-9 diagnoses over all admissions, grouped to three digits (medGAN's rule): 275 codes, 13.3 per patient.",
            "Open Database License (ODbL) v1.0",
            "Contains information from the MIMIC-III Clinical Database Demo (v1.4), which is made available here under the Open Database License (ODbL).",
            "Johnson, A., Pollard, T., & Mark, R. (2019). MIMIC-III Clinical Database Demo (version 1.4). PhysioNet. https://doi.org/10.13026/C2HM2Q"),
        new(UciDiabetes130Name,
            "UCI Diabetes 130-US Hospitals for Years 1999-2008",
            "71,518 diabetic inpatients; each row is the union of diag_1..diag_3 over a patient's encounters, grouped to three digits: 881 codes, 3.67 per patient.",
            "Creative Commons Attribution 4.0 International (CC BY 4.0)",
            "Diabetes 130-US Hospitals for Years 1999-2008, by J. Clore, K. Cios, J. DeShazo and B. Strack, UCI Machine Learning Repository, CC BY 4.0.",
            "Clore, J., Cios, K., DeShazo, J., & Strack, B. (2014). Diabetes 130-US Hospitals for Years 1999-2008 [Dataset]. UCI Machine Learning Repository. https://doi.org/10.24432/C5230J"),
    ];

    /// <summary>The MIMIC-III demo as a 100 × 275 matrix (three-digit codes, medGAN's column order), with titles.</summary>
    /// <param name="options">Loader options; <see langword="null"/> for the defaults (the result is then cached).</param>
    public static EhrDataset MimicIIIDemo(MimicLoadOptions? options = null) => LoadMimicIIIDemo(options).Dataset;

    /// <summary>The MIMIC-III demo with its load report.</summary>
    public static EhrLoadResult LoadMimicIIIDemo(MimicLoadOptions? options = null) =>
        options is null ? DefaultMimic.Value : LoadMimicIIIDemoCore(options);

    /// <summary>UCI Diabetes 130-US as a 71,518 × 881 matrix (three-digit codes), with titles.</summary>
    /// <param name="options">Loader options; <see langword="null"/> for the defaults (the result is then cached).</param>
    public static EhrDataset UciDiabetes130(UciLoadOptions? options = null) => LoadUciDiabetes130(options).Dataset;

    /// <summary>UCI Diabetes 130-US with its load report.</summary>
    public static EhrLoadResult LoadUciDiabetes130(UciLoadOptions? options = null) =>
        options is null ? DefaultUci.Value : LoadUciDiabetes130Core(options);

    /// <summary>ICD-9-CM short titles (CMS v32), with derived titles for three-digit categories.</summary>
    public static IO.Icd9Titles Icd9Titles() => CmsTitles.Value;

    /// <summary>ICD-10-CM category and subcategory titles (CMS FY2018; 24,627 codes, 1,910 three-character categories).</summary>
    public static IO.Icd10Titles Icd10Titles() => CmsIcd10Titles.Value;

    /// <summary>
    /// A copy of <paramref name="data"/> whose codes carry titles for their coding (<paramref name="system"/>, or a guess
    /// from the codes when it is <see cref="CodeSystem.Unknown"/>): CMS ICD-9-CM v32 for ICD-9, CMS FY2018 ICD-10-CM for
    /// ICD-10, each by its mark for a vocabulary of both. Titles the data already has (OMOP concept names) are kept.
    /// </summary>
    public static EhrDataset WithTitles(EhrDataset data, CodeSystem system)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (system == CodeSystem.Unknown)
        {
            system = IcdCodes.DetectSystem(data.Vocabulary);
        }

        Func<string, string?>? describe = system switch
        {
            CodeSystem.Icd9 => Icd9Titles().Describe,
            CodeSystem.Icd10 => Icd10Titles().Describe,
            CodeSystem.Icd9And10 => code => IcdCodes.Unmark(code) switch
            {
                (9, var bare) => Icd9Titles().Describe(bare),
                (10, var bare) => Icd10Titles().Describe(bare),
                _ => null,
            },
            _ => null,
        };
        if (describe is null)
        {
            return data;
        }

        var vocabulary = data.Vocabulary;
        return data.WithVocabulary(vocabulary.WithTitles(code => vocabulary.GetTitle(code) ?? describe(code)));
    }

    /// <summary>
    /// The public list of categories for a coding — every ICD-9-CM three-digit category (CMS v32), every ICD-10-CM
    /// three-character category (CMS FY2018), or both, marked — with titles; <see langword="null"/> for a coding with no
    /// public list here (OMOP concept ids, unknown codes). A differentially private fit must take its columns from such
    /// a list, not from the patients.
    /// </summary>
    public static CodeVocabulary? PublicCategories(CodeSystem system) => system switch
    {
        CodeSystem.Icd9 => Icd9Titles().Apply(Icd9Titles().Categories()),
        CodeSystem.Icd10 => Icd10Titles().Categories(),
        CodeSystem.Icd9And10 => new CodeVocabulary(
            Icd9Titles().Categories().Select(c => IcdCodes.Mark(9, c)).Concat(Icd10Titles().Categories().Select(c => IcdCodes.Mark(10, c))),
            Icd9Titles().Categories().ToDictionary(c => IcdCodes.Mark(9, c), c => Icd9Titles().Describe(c) ?? c)
                .Concat(Icd10Titles().Categories().ToDictionary(c => IcdCodes.Mark(10, c), c => Icd10Titles().Describe(c) ?? c))
                .ToDictionary(kv => kv.Key, kv => kv.Value)).AsPublic(),
        _ => null,
    };

    /// <summary>The MIMIC-III demo's own <c>D_ICD_DIAGNOSES</c> short titles (ODbL).</summary>
    public static IO.Icd9Titles MimicIIIDemoTitles()
    {
        using var reader = OpenText("mimic-iii-demo/D_ICD_DIAGNOSES.csv");
        return IO.Icd9Titles.LoadMimic(reader, "embedded mimic-iii-demo/D_ICD_DIAGNOSES.csv");
    }

    /// <summary>Loads an embedded dataset by name (<see cref="MimicIIIDemoName"/> or <see cref="UciDiabetes130Name"/>).</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static EhrDataset Load(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            MimicIIIDemoName or "mimic" or "mimic3-demo" => MimicIIIDemo(),
            UciDiabetes130Name or "uci" or "uci-diabetes" => UciDiabetes130(),
            _ => throw new ArgumentException($"Unknown embedded dataset '{name}'. Known: {string.Join(", ", All.Select(d => d.Name))}.", nameof(name)),
        };
    }

    /// <summary>Opens an embedded file, for example <c>mimic-iii-demo/LICENSE.txt</c> or <c>mimic-iii-demo/DIAGNOSES_ICD.csv</c>.</summary>
    /// <exception cref="FileNotFoundException">No such embedded file; the message lists them.</exception>
    public static Stream OpenResource(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var assembly = typeof(EhrDatasets).Assembly;
        return assembly.GetManifestResourceStream(path)
            ?? throw new FileNotFoundException($"No embedded file '{path}'. Embedded: {string.Join(", ", assembly.GetManifestResourceNames())}.", path);
    }

    /// <summary>The names of all embedded files.</summary>
    public static IReadOnlyList<string> ResourceNames => typeof(EhrDatasets).Assembly.GetManifestResourceNames();

    private static EhrLoadResult LoadMimicIIIDemoCore(MimicLoadOptions? options)
    {
        using var admissions = OpenText("mimic-iii-demo/ADMISSIONS.csv");
        using var diagnoses = OpenText("mimic-iii-demo/DIAGNOSES_ICD.csv");
        var result = MimicIIILoader.Load(admissions, "embedded mimic-iii-demo/ADMISSIONS.csv", diagnoses, "embedded mimic-iii-demo/DIAGNOSES_ICD.csv", "embedded MIMIC-III demo", options);
        return WithTitles(result);
    }

    private static EhrLoadResult LoadUciDiabetes130Core(UciLoadOptions? options)
    {
        using var zip = OpenResource("uci-diabetes-130-us/diabetes_130_us_hospitals_1999_2008.zip");
        return WithTitles(UciDiabetesLoader.LoadZip(zip, "embedded diabetes_130_us_hospitals_1999_2008.zip", options));
    }

    private static EhrLoadResult WithTitles(EhrLoadResult result) =>
        result with { Dataset = result.Dataset.WithVocabulary(Icd9Titles().Apply(result.Dataset.Vocabulary)) };

    private static StreamReader OpenText(string path) => new(OpenResource(path), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

}
