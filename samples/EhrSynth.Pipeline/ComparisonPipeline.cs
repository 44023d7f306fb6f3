using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Reporting;

namespace EhrSynth.Pipeline;

/// <summary>
/// The paper's comparison in one call: split 80/20 with a fixed seed, train every family at a budget, generate as many
/// patients as the training split, evaluate against the holdout with the full metric suite (floor and ceiling rows
/// included), and write the report folder (Markdown, Fig. 1 and Fig. 2 PNGs, synthetic data as long CSV with titles).
/// </summary>
public static class ComparisonPipeline
{
    /// <summary>Runs the comparison.</summary>
    public static async Task<PipelineResult> RunAsync(PipelineOptions options, IProgress<PipelineEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var watch = Stopwatch.StartNew();
        var data = options.Data ?? EhrDatasets.UciDiabetes130();
        var (train, holdout) = data.Split(options.TrainFraction, options.Seed);
        progress?.Report(new PipelineEvent("data", "", string.Create(CultureInfo.InvariantCulture,
            $"{options.DataName}: {data.PatientCount:N0} patients × {data.CodeCount:N0} codes → train {train.PatientCount:N0}, holdout {holdout.PatientCount:N0} (seed {options.Seed})")));
        Directory.CreateDirectory(options.OutputFolder);

        var sets = new List<SyntheticSet>();
        var files = new List<string>();
        var details = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Data: {options.DataName}, {data.PatientCount:N0} patients × {data.CodeCount:N0} codes, {data.MeanCodesPerPatient:F2} codes per patient."),
            string.Create(CultureInfo.InvariantCulture, $"Split: {options.TrainFraction:P0} train ({train.PatientCount:N0}) / holdout ({holdout.PatientCount:N0}), seed {options.Seed}. Every model generates {train.PatientCount:N0} patients; metrics compare them with the holdout."),
            $"Budget: {options.Budget}. Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}.",
        };
        foreach (var family in options.Families)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var familyWatch = Stopwatch.StartNew();
            using var generator = family.Create(options.Budget, options.Seed, options.Device, options.Epochs);
            progress?.Report(new PipelineEvent("train", family.Display, $"training {family.Display} ({family.Describe(options.Budget, options.Epochs)})"));
            await generator.FitAsync(train, new ForwardingProgress<TrainingProgress>(p => progress?.Report(new PipelineEvent("train", family.Display, "", p))), cancellationToken);
            double fitSeconds = familyWatch.Elapsed.TotalSeconds;
            progress?.Report(new PipelineEvent("generate", family.Display, $"generating {train.PatientCount:N0} patients"));
            var synthetic = generator.Generate(train.PatientCount, options.Seed, cancellationToken: cancellationToken);
            sets.Add(new SyntheticSet(family.Display, synthetic, generator.LastGenerationReport));
            string csv = Path.Combine(options.OutputFolder, $"synthetic-{family.Name}.csv");
            LongCsv.Write(csv, synthetic, includeTitles: true);
            files.Add(csv);
            details.Add(string.Create(CultureInfo.InvariantCulture,
                $"{family.Display}: {family.Describe(options.Budget, options.Epochs)}; trained in {fitSeconds:F0} s, generated in {generator.LastGenerationReport!.Elapsed.TotalSeconds:F1} s."));
        }

        progress?.Report(new PipelineEvent("evaluate", "", "evaluating with the full metric suite"));
        var report = MetricSuite.CreateDefault().Compare(train, holdout, sets, new ComparisonOptions { Seed = options.Seed },
            new ForwardingProgress<MetricProgress>(m => progress?.Report(new PipelineEvent("evaluate", m.Row, m.Metric, Metric: m))), cancellationToken);
        string path = ComparisonReport.Write(options.OutputFolder, report, new ReportContext($"EhrSynth comparison on {options.DataName}", details));
        progress?.Report(new PipelineEvent("report", "", path));
        return new PipelineResult(report, Path.GetFullPath(path), files.Select(Path.GetFullPath).ToList(), watch.Elapsed);
    }

    private sealed class ForwardingProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
