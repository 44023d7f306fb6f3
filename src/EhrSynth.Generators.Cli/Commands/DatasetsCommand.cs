using System.CommandLine;
using System.Globalization;
using EhrSynth.Generators.Datasets;
using Spectre.Console;

namespace EhrSynth.Generators.Cli.Commands;

/// <summary><c>ehrsynth datasets</c>: the embedded datasets with their statistics.</summary>
internal static class DatasetsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("datasets", "List the embedded datasets with their statistics.");
        command.SetAction(r => Run(context, r.GetValue(CliOptions.Json)));
        return command;
    }

    private static int Run(CliContext context, bool asJson)
    {
        var rows = EhrDatasets.All.Select(info =>
        {
            var data = EhrDatasets.Load(info.Name);
            return new { info.Name, info.Title, Patients = data.PatientCount, Codes = data.CodeCount, CodesPerPatient = Math.Round(data.MeanCodesPerPatient, 2), info.Licence };
        }).ToList();
        if (asJson)
        {
            context.WriteJson(rows);
            return ExitCodes.Ok;
        }

        if (context.Interactive)
        {
            var table = new Table().AddColumns("name", "title", "patients", "codes", "codes/patient", "licence");
            foreach (var r in rows)
            {
                table.AddRow(r.Name, Markup.Escape(r.Title), r.Patients.ToString("N0", CultureInfo.InvariantCulture), r.Codes.ToString(CultureInfo.InvariantCulture), r.CodesPerPatient.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Licence));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }

        foreach (var r in rows)
        {
            context.Output.WriteLine(CliContext.Invariant($"{r.Name}\t{r.Patients}\t{r.Codes}\t{r.CodesPerPatient}\t{r.Title}\t{r.Licence}"));
        }

        return ExitCodes.Ok;
    }
}
