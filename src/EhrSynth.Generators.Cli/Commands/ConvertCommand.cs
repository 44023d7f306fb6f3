using System.CommandLine;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli.Commands;

/// <summary>
/// <c>ehrsynth convert</c>: reads any source the other commands read and writes it as a long CSV or Parquet file (with
/// titles) or a <c>.npy</c> with its codes file, printing what it read — the step to run first on data of your own, to
/// see what the library made of it.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = $"The source: {DataSource.Kinds}.", Required = true };
        var output = new Option<string>("--output") { Description = "The file to write: .csv (long CSV with titles), .parquet (long Parquet with titles) or .npy (with name.codes.txt).", Required = true };
        var threshold = new Option<double?>("--threshold") { Description = "Binarise a .npy of probabilities at this threshold." };
        var overwrite = CliOptions.Overwrite();
        var source = new SourceCliOptions();
        var command = new Command("convert", "Read a source (MIMIC-III/IV, OMOP, UCI, long CSV or Parquet, .npy) and write it as long CSV, Parquet or .npy, saying what was read.") { data, output, threshold, overwrite };
        foreach (var option in source.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((r, token) => Task.FromResult(Run(context, r.GetValue(data)!, r.GetValue(output)!, r.GetValue(overwrite), source.Parse(r, r.GetValue(threshold)), r.GetValue(CliOptions.Json), token)));
        return command;
    }

    private static int Run(CliContext context, string dataSpec, string path, bool overwrite, SourceOptions sourceOptions, bool asJson, CancellationToken ct)
    {
        string format = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => "csv",
            ".parquet" => "parquet",
            ".npy" => "npy",
            _ => throw new ArgumentException($"--output must end in .csv, .parquet or .npy (got '{TextSafety.Printable(Path.GetFileName(path), 60)}')."),
        };
        AtomicFile.CheckFileTarget(path, overwrite);                               // before reading: never read for nothing
        if (format == "npy")
        {
            AtomicFile.CheckFileTarget(Npy.DefaultCodesPath(path), overwrite);
        }

        var (dataset, kind, report) = DataSource.LoadWithReport(dataSpec, sourceOptions, ct);
        switch (format)
        {
            case "csv":
                LongCsv.Write(path, dataset, includeTitles: true, overwrite);
                break;
            case "parquet":
                LongParquet.Write(path, dataset, includeTitles: true, overwrite);
                break;
            default:
                Npy.Write(path, dataset, overwrite: overwrite);
                break;
        }

        var lengths = Enumerable.Range(0, dataset.PatientCount).Select(p => dataset.GetCodes(p).Length).Order().ToArray();
        var summary = new
        {
            source = Path.GetFullPath(dataSpec) is var full && (File.Exists(full) || Directory.Exists(full)) ? full : dataSpec,
            kind,
            codeSystem = (report?.CodeSystem ?? CodeSystem.Unknown).ToString(),
            files = report?.Files ?? [],
            rowsRead = report?.RowsRead,
            patients = dataset.PatientCount,
            codes = dataset.CodeCount,
            storedCodes = dataset.StoredCodeCount,
            codesPerPatient = new
            {
                mean = Math.Round((double)dataset.StoredCodeCount / dataset.PatientCount, 3),
                median = lengths[lengths.Length / 2],
                max = lengths[^1],
            },
            emptyPatientsKept = report?.EmptyPatientsKept ?? 0,
            skipped = report?.Skipped ?? new Dictionary<string, long>(),
            notes = report?.Notes ?? [],
            output = Path.GetFullPath(path),
        };
        if (asJson)
        {
            context.WriteJson(summary);
            return ExitCodes.Ok;
        }

        var o = context.Output;
        o.WriteLine(CliContext.Invariant($"Read {kind} from {summary.source}{(summary.files.Count > 0 ? $" ({string.Join(", ", summary.files.Select(Path.GetFileName))})" : "")}"));
        o.WriteLine(CliContext.Invariant($"  codes: {CodeSystemText(report?.CodeSystem ?? CodeSystem.Unknown)}"));
        if (summary.rowsRead is { } rows)
        {
            o.WriteLine(CliContext.Invariant($"  rows read: {rows:N0}"));
        }

        o.WriteLine(CliContext.Invariant($"  patients: {dataset.PatientCount:N0} × codes: {dataset.CodeCount:N0}, {dataset.StoredCodeCount:N0} (patient, code) pairs"));
        o.WriteLine(CliContext.Invariant($"  codes per patient: mean {summary.codesPerPatient.mean:F2}, median {summary.codesPerPatient.median}, max {summary.codesPerPatient.max}"));
        if (summary.emptyPatientsKept > 0)
        {
            o.WriteLine(CliContext.Invariant($"  patients with no codes kept: {summary.emptyPatientsKept:N0}"));
        }

        foreach (var (reason, n) in summary.skipped)
        {
            o.WriteLine(CliContext.Invariant($"  skipped {n:N0}: {reason}"));
        }

        foreach (var note in summary.notes)
        {
            o.WriteLine($"  note: {note}");
        }

        o.WriteLine($"Wrote {summary.output}");
        return ExitCodes.Ok;
    }

    private static string CodeSystemText(CodeSystem system) => system switch
    {
        CodeSystem.Icd9 => "ICD-9-CM",
        CodeSystem.Icd10 => "ICD-10-CM",
        CodeSystem.Icd9And10 => "ICD-9-CM and ICD-10-CM, marked 9: and 10:",
        CodeSystem.OmopConcept => "OMOP standard concept ids",
        _ => "as given (not a coding the library knows: no titles, no public code list)",
    };
}
