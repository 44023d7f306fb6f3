using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using EhrSynth.Generators.Cli.Commands;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Cli;

/// <summary>
/// The <c>ehrsynth</c> command line: <c>datasets</c>, <c>train</c>, <c>generate</c>, <c>evaluate</c>, <c>compare</c> and <c>convert</c>
/// over a catalog of generator families. A program that adds a family of its own runs it with its own catalog:
/// <code>return await EhrSynthCli.RunAsync(args, new GeneratorCatalog([.. BuiltInFamilies.Catalog, MyGenerator.Family]));</code>
/// Every failure ends as one message and a documented exit code (<see cref="ExitCodes"/>); stack traces only with
/// <c>--verbose</c>.
/// </summary>
public static class EhrSynthCli
{
    /// <summary>Runs a command line over the built-in families, on the console.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        RunAsync(args, BuiltInFamilies.Catalog, Console.Out, Console.Error, !Console.IsOutputRedirected, null, cancellationToken);

    /// <summary>Runs a command line over the built-in families.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken = default) =>
        RunAsync(args, BuiltInFamilies.Catalog, output, error, interactive, null, cancellationToken);

    /// <summary>Runs a command line over <paramref name="families"/>, on the console.</summary>
    public static Task<int> RunAsync(string[] args, GeneratorCatalog families, CancellationToken cancellationToken = default) =>
        RunAsync(args, families, Console.Out, Console.Error, !Console.IsOutputRedirected, null, cancellationToken);

    /// <summary>Runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="families">The families the commands know.</param>
    /// <param name="output">Standard output: tables and JSON.</param>
    /// <param name="error">Standard error: progress, warnings and errors.</param>
    /// <param name="interactive">Draw progress bars (a console) rather than one line per epoch.</param>
    /// <param name="defaultFamilies">What <c>compare</c> trains without <c>--families</c>. The default value is <see langword="null"/>: the catalog's families that are in the default comparison.</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C): exit code 130.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, GeneratorCatalog families, TextWriter output, TextWriter error, bool interactive, IReadOnlyList<GeneratorFamily>? defaultFamilies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(families);
        var context = new CliContext(output, error, interactive, families, defaultFamilies ?? [.. families.Where(f => f.InDefaultComparison)]);
        var root = new RootCommand("EhrSynth: synthetic EHR generators and the metrics that judge them.");
        root.Options.Add(CliOptions.Json);
        root.Options.Add(CliOptions.Verbose);
        root.Subcommands.Add(DatasetsCommand.Create(context));
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(GenerateCommand.Create(context));
        root.Subcommands.Add(EvaluateCommand.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(ConvertCommand.Create(context));
        root.Subcommands.Add(TablesCommand.Create(context));

        var parse = root.Parse(args);
        var errors = parse.Errors.Select(e => e.Message).Concat(EmptyValues(parse)).ToList();
        if (errors.Count > 0)
        {
            foreach (var e in errors)
            {
                context.Note(e);
            }

            context.Note("Run 'ehrsynth --help' for usage.");
            return ExitCodes.BadUsage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e, parse.GetValue(CliOptions.Verbose));
            context.Note(message);
            return code;
        }
    }

    /// <summary>The exit code and the message of a failure: one line (the stack trace follows only when <paramref name="verbose"/>).</summary>
    public static (int Code, string Message) Describe(Exception exception, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var e = exception is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : exception;
        int code = e switch
        {
            OperationCanceledException => ExitCodes.Cancelled,
            OutputConflictException => ExitCodes.OutputRefused,
            DeviceUnavailableException => ExitCodes.DeviceUnavailable,
            EhrDataFormatException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or JsonException => ExitCodes.BadData,
            IOException or UnauthorizedAccessException => ExitCodes.OutputRefused,
            ArgumentNullException => ExitCodes.InternalError,      // the command line never passes null: a bug, not a usage error
            ValidationException or ArgumentException or FormatException => ExitCodes.BadUsage,
            InvalidOperationException or NotSupportedException => ExitCodes.TrainingFailed,
            _ => ExitCodes.InternalError,
        };
        string message = code switch
        {
            ExitCodes.Cancelled => "cancelled; nothing partial was written.",
            ExitCodes.InternalError => $"internal error: {e.GetType().Name}: {OneLine(e.Message)}" + (verbose ? "" : " (run with --verbose for the stack trace)"),
            ExitCodes.OutputRefused when e is OutputConflictException { Reason: var reason } conflict && reason.StartsWith("already exists", StringComparison.Ordinal) =>
                $"error: {conflict.Path}: already exists and was left as it is; pass --overwrite to replace it.",
            _ => $"error: {e.Message}",
        };
        if (verbose && code != ExitCodes.Cancelled)
        {
            message += Environment.NewLine + exception;
        }

        return (code, TextSafety.Printable(message, verbose ? 100_000 : 4_000));
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>An option given an empty text (<c>--output ''</c>): named here, before any command runs.</summary>
    private static IEnumerable<string> EmptyValues(ParseResult parse) =>
        parse.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>()
            .Where(o => (o.Option.ValueType == typeof(string)) && o.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            .Select(o => $"error: {o.Option.Name} was given an empty value; give a value or leave the option out.");
}
