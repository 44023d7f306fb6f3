using System.Globalization;
using EhrSynth.Pipeline;

// The main job: the paper's comparison on the embedded UCI Diabetes data, at a quick CPU budget.
//   dotnet run --project samples/EhrSynth.Quickstart
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

bool interactive = !Console.IsOutputRedirected;
var progress = new Progress(interactive);
try
{
    var result = await ComparisonPipeline.RunAsync(new PipelineOptions(), progress, cts.Token);
    progress.Done();
    Console.WriteLine();
    Console.WriteLine(result.Report.FormatText());
    Console.WriteLine("Floor = independent per-code sampling at training prevalence; ceiling = real training patients vs the holdout.");
    Console.WriteLine("A model has learned co-occurrence when it beats the floor on Fig.2 KS, norm. cov err and bigram R² (docs/metrics.md).");
    Console.WriteLine();
    Console.WriteLine($"Finished in {result.Elapsed.TotalSeconds:F0} s.");
    Console.WriteLine($"Synthetic data: {string.Join(", ", result.SyntheticFiles)}");
    Console.WriteLine($"Report: {result.ReportPath}");
    return 0;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}

/// <summary>Prints pipeline events: one line per stage, and an updating line for training when the console is interactive.</summary>
internal sealed class Progress(bool interactive) : IProgress<PipelineEvent>
{
    private bool _inline;

    public void Report(PipelineEvent e)
    {
        if (e.Training is { } t)
        {
            string losses = string.Join(" ", t.Losses.Select(kv => $"{kv.Key} {kv.Value:G4}"));
            string line = $"  {e.Family} {t.Phase} epoch {t.Epoch}/{t.TotalEpochs} step {t.Step}/{t.TotalSteps}  {losses}  {t.SamplesPerSecond:N0} {t.Unit}/s  {t.Elapsed.TotalSeconds:F0} s";
            if (interactive)
            {
                Console.Write("\r" + line.PadRight(Math.Min(Console.BufferWidth - 1, 150))[..Math.Min(line.Length + 10, Console.BufferWidth - 1)]);
                _inline = true;
            }
            else if (t.IsEpochEnd)
            {
                Console.WriteLine(line);
            }

            return;
        }

        if (e.Metric is { } m)
        {
            if (interactive)
            {
                Console.Write($"\r  evaluating {m.Row}: {m.Metric} ({m.Done}/{m.Total})".PadRight(90));
                _inline = true;
            }

            return;
        }

        Done();
        Console.WriteLine(e.Stage == "report" ? $"Report written: {e.Message}" : $"[{e.Stage}] {e.Message}");
    }

    public void Done()
    {
        if (_inline)
        {
            Console.WriteLine();
            _inline = false;
        }
    }
}
