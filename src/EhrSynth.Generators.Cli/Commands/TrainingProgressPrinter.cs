using System.Globalization;
using EhrSynth.Generators.Generation;
using Spectre.Console;

namespace EhrSynth.Generators.Cli.Commands;

/// <summary>Shows training progress: a progress bar on an interactive console, else one line per epoch on standard error.</summary>
internal static class TrainingProgressPrinter
{
    public static async Task Run(CliContext context, string label, Func<IProgress<TrainingProgress>, Task> run)
    {
        if (!context.Interactive)
        {
            await run(new Forward<TrainingProgress>(p =>
            {
                if (p.IsEpochEnd)
                {
                    context.Note(Line(p));
                }
            })).ConfigureAwait(false);
            return;
        }

        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(label));
            await run(new Forward<TrainingProgress>(p =>
            {
                task.Description = Markup.Escape($"{label}: {p.Phase} {p.Epoch}/{p.TotalEpochs}");
                task.Value = 100.0 * p.Step / Math.Max(1, p.TotalSteps);
            })).ConfigureAwait(false);
            task.Value = 100;
        }).ConfigureAwait(false);
    }

    public static string Line(TrainingProgress p) =>
        string.Create(CultureInfo.InvariantCulture, $"  {p.Phase} epoch {p.Epoch}/{p.TotalEpochs} {string.Join(" ", p.Losses.Concat(p.Diagnostics).Select(kv => $"{kv.Key} {kv.Value:G4}"))}");

    internal sealed class Forward<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
