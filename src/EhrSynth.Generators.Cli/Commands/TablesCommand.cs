using System.CommandLine;
using EhrSynth.Generators.Experiments;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli.Commands;

/// <summary>
/// <c>ehrsynth tables</c>: checks, or with <c>--write</c> renders again, the tables of Markdown documents that are
/// marked as rendered from a results file (<see cref="DocumentTables"/>), so that a paper or a page cannot drift from
/// the runs behind it.
/// </summary>
internal static class TablesCommand
{
    public static Command Create(CliContext context)
    {
        var documents = new Argument<string[]>("documents") { Description = "Markdown documents whose tables are marked <!-- table: results.json KIND --> … <!-- /table -->.", Arity = ArgumentArity.OneOrMore };
        var write = new Option<bool>("--write") { Description = "Render every marked table again and replace the documents that differ (each written to a temporary file, then renamed)." };
        var command = new Command("tables", $"Check that the marked tables of Markdown documents equal what their results files render (kinds: {string.Join(", ", DocumentTables.Kinds)}); exit 2 naming each table that differs.") { documents, write };
        command.SetAction(r => Run(context, r.GetValue(documents)!, r.GetValue(write)));
        return command;
    }

    private static int Run(CliContext context, string[] documents, bool write)
    {
        var problems = new List<string>();
        foreach (string document in documents)
        {
            if (!File.Exists(document))
            {
                throw new FileNotFoundException($"{document}: no such document.");
            }

            var differences = DocumentTables.Differences(document);
            if (differences.Count == 0)
            {
                context.Output.WriteLine($"{document}: every table equals its data.");
            }
            else if (write)
            {
                string rendered = DocumentTables.Render(File.ReadAllText(document), Path.GetDirectoryName(Path.GetFullPath(document))!, document);
                AtomicFile.WriteText(document, w => w.Write(rendered), overwrite: true);
                context.Output.WriteLine($"{document}: {differences.Count} table(s) rendered again.");
            }
            else
            {
                problems.AddRange(differences);
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException(string.Join("\n", problems) + "\n(ehrsynth tables --write renders them from their data.)");
        }

        return ExitCodes.Ok;
    }
}
