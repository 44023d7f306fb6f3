using System.Globalization;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO.Tables;

namespace EhrSynth.Generators.IO;

/// <summary>
/// Reads an OMOP CDM v5.3/5.4 extract into one row per person: the union of the person's conditions, from
/// <c>condition_occurrence</c> (<c>person_id, condition_concept_id, condition_start_date, condition_source_value,
/// condition_source_concept_id, …</c>) or <c>condition_era</c> (<c>person_id, condition_concept_id,
/// condition_era_start_date, …</c>), with the <c>concept</c> table (<c>concept_id, concept_name, vocabulary_id</c>) for
/// titles and source vocabularies when it is there.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Tables are <c>.csv</c> (comma, or tab as in Athena's vocabulary files), <c>.csv.gz</c> or <c>.parquet</c>,
/// headers in upper or lower case; the source is a folder holding them or the condition table file itself.</item>
/// <item>Codes (<see cref="OmopLoadOptions.Codes"/>): the standard <c>condition_concept_id</c> (0, "no matching
/// concept", is skipped and counted), or the <c>condition_source_value</c>, grouped as ICD-9 or ICD-10-CM by
/// <see cref="OmopLoadOptions.SourceVocabulary"/>.</item>
/// <item>Persons in the order of their first row; each person's rows by start date, then row order.</item>
/// <item>Only the <c>concept</c> rows of the Condition domain or of the ICD vocabularies are kept in memory, so an
/// Athena <c>CONCEPT.csv</c> of millions of rows can be given.</item>
/// </list>
/// </remarks>
public static class OmopLoader
{
    /// <summary>Whether <paramref name="path"/> is an OMOP source: a folder holding <c>condition_occurrence</c> or <c>condition_era</c>, or one of those files.</summary>
    public static bool Recognizes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Locate(path, OmopConditionTable.Auto) is not null;
    }

    /// <summary>Loads an OMOP source (see remarks).</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options contradict each other.</exception>
    /// <exception cref="FileNotFoundException">No condition table was found.</exception>
    /// <exception cref="EhrDataFormatException">A table is malformed; the message names the file and line.</exception>
    public static EhrLoadResult Load(string path, OmopLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new OmopLoadOptions();
        OptionsValidator.Validate(options);
        var (conditions, concept, era) = Locate(path, options.Table)
            ?? throw new FileNotFoundException($"No OMOP {(options.Table == OmopConditionTable.Era ? "condition_era" : options.Table == OmopConditionTable.Occurrence ? "condition_occurrence" : "condition_occurrence or condition_era")} table (.csv, .csv.gz or .parquet) in {path}.", path);
        var report = new LoadReport(path);
        var concepts = concept is null ? null : ReadConcepts(concept, report, cancellationToken);
        bool sourceValues = options.Codes == OmopCodeColumn.SourceValue;
        var vocabulary = !sourceValues ? OmopSourceVocabulary.AsGiven
            : options.SourceVocabulary == OmopSourceVocabulary.Auto && concepts is null ? OmopSourceVocabulary.AsGiven
            : options.SourceVocabulary;
        if (sourceValues && options.SourceVocabulary == OmopSourceVocabulary.Auto && concepts is null)
        {
            report.Note("source values kept as given: no concept table tells ICD-9 from ICD-10 (choose the source vocabulary to group them)");
        }

        report.CodeSystem = !sourceValues ? CodeSystem.OmopConcept
            : vocabulary switch
            {
                OmopSourceVocabulary.Icd9 => CodeSystem.Icd9,
                OmopSourceVocabulary.Icd10 => CodeSystem.Icd10,
                OmopSourceVocabulary.Auto => options.Versions switch { IcdVersionPolicy.Icd9 => CodeSystem.Icd9, IcdVersionPolicy.Icd10 => CodeSystem.Icd10, _ => CodeSystem.Icd9And10 },
                _ => CodeSystem.Unknown,
            };

        var events = new PatientEvents();
        ReadConditions(conditions, era, options, vocabulary, concepts, events, report, cancellationToken);
        var dataset = events.Build(options.ColumnOrder, options.EmptyPatients, report, conditions, "person with no condition kept", cancellationToken);
        if (!sourceValues && concepts is not null)
        {
            dataset = dataset.WithVocabulary(dataset.Vocabulary.WithTitles(c => concepts.TryGetValue(c, out var entry) ? entry.Name : null));
        }

        return new EhrLoadResult(dataset, report);
    }

    /// <summary>The condition table (and whether it is the era table) and the concept table of a source, or <see langword="null"/>.</summary>
    internal static (string Conditions, string? Concept, bool Era)? Locate(string path, OmopConditionTable table)
    {
        string folder;
        string? occurrence, era;
        if (File.Exists(path))
        {
            folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            string name = TableFiles.TableName(path);
            occurrence = name == "condition_occurrence" ? path : null;
            era = name == "condition_era" ? path : null;
        }
        else
        {
            folder = path;
            occurrence = TableFiles.Find(folder, "condition_occurrence");
            era = TableFiles.Find(folder, "condition_era");
        }

        string? chosen = table switch
        {
            OmopConditionTable.Occurrence => occurrence,
            OmopConditionTable.Era => era,
            _ => occurrence ?? era,
        };
        return chosen is null ? null : (chosen, TableFiles.Find(folder, "concept"), chosen == era);
    }

    private static Dictionary<string, (string Name, string Vocabulary)> ReadConcepts(string file, LoadReport report, CancellationToken ct)
    {
        report.Read(file);
        var concepts = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        using var table = TableReader.Open(file, ct);
        var col = table.Require("concept_id", "concept_name", "vocabulary_id");
        int domain = table.Find("domain_id");
        while (table.Read())
        {
            var vocabulary = table[col[2]];
            bool icd = vocabulary.SequenceEqual("ICD9CM") || vocabulary.SequenceEqual("ICD10CM");
            if (!icd && domain >= 0 && !table[domain].SequenceEqual("Condition"))
            {
                continue;                                           // keep what conditions can refer to
            }

            var id = table[col[0]];
            if (!id.IsEmpty)
            {
                concepts[id.ToString()] = (table[col[1]].ToString(), vocabulary.ToString());
            }
        }

        return concepts;
    }

    private static void ReadConditions(string file, bool era, OmopLoadOptions options, OmopSourceVocabulary vocabulary, Dictionary<string, (string Name, string Vocabulary)>? concepts, PatientEvents events, LoadReport report, CancellationToken ct)
    {
        report.Read(file);
        using var table = TableReader.Open(file, ct);
        int person = table.Require("person_id")[0];
        int concept = table.Require("condition_concept_id")[0];
        int date = table.Find(era ? "condition_era_start_date" : "condition_start_date");
        bool sourceValues = options.Codes == OmopCodeColumn.SourceValue;
        int source = sourceValues ? table.Require("condition_source_value")[0] : -1;
        int sourceConcept = sourceValues && vocabulary == OmopSourceVocabulary.Auto ? table.Require("condition_source_concept_id")[0] : -1;
        var cache = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        var conceptLookup = concepts?.GetAlternateLookup<ReadOnlySpan<char>>();
        while (table.Read())
        {
            report.RowsRead++;
            var id = table[person];
            if (id.IsEmpty)
            {
                throw table.Error("person_id is empty");
            }

            int patient = events.Patient(id);
            int order = date < 0 ? int.MaxValue : Day(table, date);
            if (!sourceValues)
            {
                var value = table[concept];
                if (value.IsEmpty || value.SequenceEqual("0"))
                {
                    report.Skip("condition_concept_id 0 (no matching concept)");
                    continue;
                }

                if (!lookup.TryGetValue(value, out int code))
                {
                    if (value.IndexOfAnyExceptInRange('0', '9') >= 0)
                    {
                        throw table.Error($"condition_concept_id '{TextSafety.Printable(value.ToString(), 40)}' is not a concept id", events.PatientId(patient));
                    }

                    code = events.Code(value.ToString());
                    lookup.TryAdd(value, code);
                }

                events.Add(patient, order, code);
                continue;
            }

            var raw = table[source];
            if (raw.IsEmpty)
            {
                report.Skip("empty condition_source_value");
                continue;
            }

            int version = vocabulary switch
            {
                OmopSourceVocabulary.Icd9 => 9,
                OmopSourceVocabulary.Icd10 => 10,
                OmopSourceVocabulary.AsGiven => 0,
                _ => conceptLookup!.Value.TryGetValue(table[sourceConcept], out var entry)
                    ? entry.Vocabulary switch { "ICD9CM" => 9, "ICD10CM" => 10, _ => -1 }
                    : -1,
            };
            if (version < 0)
            {
                report.Skip("source value whose condition_source_concept_id is not an ICD9CM or ICD10CM concept");
                continue;
            }

            if ((version == 9 && options.Versions == IcdVersionPolicy.Icd10) || (version == 10 && options.Versions == IcdVersionPolicy.Icd9))
            {
                report.Skip($"ICD-{version} source value (the version policy keeps ICD-{(version == 9 ? 10 : 9)} only)");
                continue;
            }

            string key = version.ToString(CultureInfo.InvariantCulture) + ":" + raw.ToString();
            if (!cache.TryGetValue(key, out int sourceCode))
            {
                string? stored = version switch
                {
                    10 => Icd10Codes.Normalize(raw),
                    9 => Icd9Codes.NormalizeDotted(raw) is { } dotted && raw.Contains('.') ? dotted : Icd9Undotted(raw),
                    _ => CodeVocabulary.IsValidCode(raw.ToString()) ? raw.ToString() : null,
                };
                if (stored is null)
                {
                    report.Skip(version == 0 ? "source value that is not a valid code" : $"source value that is not an ICD-{version} code");
                    continue;
                }

                string grouped = version == 0 ? stored : IcdCodes.Group(version, stored, options.Grouping);
                bool marked = vocabulary == OmopSourceVocabulary.Auto && options.Versions == IcdVersionPolicy.Both;
                sourceCode = events.Code(marked ? IcdCodes.Mark(version, grouped) : grouped);
                cache.Add(key, sourceCode);
            }

            events.Add(patient, order, sourceCode);
        }
    }

    /// <summary>An undotted ICD-9 code (<c>4019</c>, <c>V4501</c>, <c>E8788</c>), upper case, or <see langword="null"/>.</summary>
    private static string? Icd9Undotted(ReadOnlySpan<char> raw)
    {
        string code = raw.ToString().ToUpperInvariant();
        return code.Length is >= 3 and <= 5 && (char.IsAsciiDigit(code[0]) || code[0] is 'V' or 'E') && code.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0 ? code : null;
    }

    /// <summary>The day of a date (<c>yyyy-MM-dd</c>, with or without a time), for ordering; an empty date orders last.</summary>
    private static int Day(TableReader table, int column)
    {
        var text = table[column];
        if (text.IsEmpty)
        {
            return int.MaxValue;
        }

        var day = text.Length >= 10 ? text[..10] : text;
        return DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.DayNumber
            : throw table.Error($"{table.Header[column]} '{TextSafety.Printable(text.ToString(), 40)}' is not a date (yyyy-MM-dd)");
    }
}
