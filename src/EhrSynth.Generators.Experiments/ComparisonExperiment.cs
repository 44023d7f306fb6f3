using System.Diagnostics;
using System.Globalization;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Reporting;

namespace EhrSynth.Generators.Experiments;

/// <summary>
/// The paper's comparison in one call. For every seed: split the data (80/20 by default), train every family at the
/// budget's preset, generate as many patients as the holdout, and evaluate them against the holdout with the metric
/// suite beside the independent-marginals floor and the real-data ceiling. Then write the report folder — Markdown
/// with mean ± sd over seeds and floor verdicts, Fig. 1 and Fig. 2 per seed, <c>results.json</c>, and each model's
/// synthetic patients — atomically, only once everything succeeded.
/// </summary>
public static class ComparisonExperiment
{
    /// <summary>Runs the comparison.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid, or a family's options are (every problem listed, before any training).</exception>
    /// <exception cref="OutputConflictException">The report folder holds files EhrSynth did not write (checked before any training).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing was written.</exception>
    public static async Task<ExperimentResult> RunAsync(ExperimentOptions options, IProgress<ExperimentEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidator.Validate(options);
        AtomicFile.CheckDirectoryTarget(options.OutputFolder);
        foreach (var family in options.Families)
        {
            OptionsValidator.Validate(OptionsFor(options, family, options.Seeds[0]));     // every family's problems before any training
        }

        var watch = Stopwatch.StartNew();
        var suite = options.Suite ?? MetricSuite.CreateDefault();
        var runs = new List<SeedRun>();
        var familyRuns = new List<FamilyRun>();
        var synthetic = new List<(string File, EhrDataset Data)>();
        int trainCount = 0, holdoutCount = 0, generateCount = 0;
        foreach (int seed in options.Seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (train, holdout) = options.Data.Split(options.TrainFraction, seed);
            (trainCount, holdoutCount) = (train.PatientCount, holdout.PatientCount);
            generateCount = options.GenerateCount ?? holdout.PatientCount;
            progress?.Report(new ExperimentEvent(ExperimentStage.Data, "", seed, string.Create(CultureInfo.InvariantCulture,
                $"{options.DataName}: {options.Data.PatientCount:N0} patients × {options.Data.CodeCount:N0} codes → train {train.PatientCount:N0}, holdout {holdout.PatientCount:N0} (seed {seed})")));
            var sets = new List<SyntheticSet>();
            foreach (var family in options.Families)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var familyOptions = OptionsFor(options, family, seed);
                string settings = family.Describe(familyOptions);
                using var generator = family.Create(familyOptions, options.LoggerFactory);
                progress?.Report(new ExperimentEvent(ExperimentStage.Train, family.DisplayName, seed, $"training {family.DisplayName} ({settings})"));
                var fitWatch = Stopwatch.StartNew();
                await generator.FitAsync(train, new Forward<TrainingProgress>(p => progress?.Report(new ExperimentEvent(ExperimentStage.Train, family.DisplayName, seed, "", p))), cancellationToken).ConfigureAwait(false);
                var fitTime = fitWatch.Elapsed;
                progress?.Report(new ExperimentEvent(ExperimentStage.Generate, family.DisplayName, seed, $"generating {generateCount:N0} patients"));
                var data = generator.Generate(generateCount, seed, cancellationToken: cancellationToken);
                var generation = generator.LastGenerationReport!;
                sets.Add(new SyntheticSet(family.DisplayName, data, generation));
                familyRuns.Add(new FamilyRun(family.DisplayName, seed, settings, fitTime, generation.Elapsed, generateCount, (generator as ITrainingCostSource)?.LastTrainingCost,
                    (generator as Privacy.IDifferentiallyPrivate)?.PrivacyGuarantee, [.. (generator as IFitNotes)?.FitNotes ?? []]));
                if (options.WriteSyntheticData)
                {
                    synthetic.Add((options.Seeds.Count == 1 ? $"synthetic-{family.Name}.csv" : $"synthetic-{family.Name}-seed{seed}.csv", data));
                }
            }

            progress?.Report(new ExperimentEvent(ExperimentStage.Evaluate, "", seed, "evaluating with the metric suite"));
            var report = suite.Compare(train, holdout, sets, new ComparisonOptions { Seed = seed, FloorSize = generateCount },
                new Forward<MetricProgress>(m => progress?.Report(new ExperimentEvent(ExperimentStage.Evaluate, m.Row, seed, "", Metric: m))), cancellationToken);
            runs.Add(new SeedRun(seed, report));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var sweep = new SeedSweepReport(runs);
        var setup = Setup(options, trainCount, holdoutCount, generateCount, familyRuns);
        string folder = Path.GetFullPath(options.OutputFolder);
        progress?.Report(new ExperimentEvent(ExperimentStage.Report, "", options.Seeds[^1], $"writing {folder}"));
        string reportPath = ComparisonReport.Write(folder, sweep, new ReportContext($"EhrSynth comparison on {options.DataName}", setup), tmp =>
        {
            foreach (var (file, data) in synthetic)
            {
                LongCsv.Write(Path.Combine(tmp, file), data, includeTitles: true);
            }

            var privacyPoints = options.PrivacyPoints is { } given
                ? options.Families.Where(f => given.ContainsKey(f.Name)).ToDictionary(f => f.DisplayName, f => given[f.Name])
                : null;
            AtomicFile.WriteText(Path.Combine(tmp, ResultsFile), w => w.Write(ExperimentJson.Serialize(sweep, familyRuns, setup, privacyPoints)));
            if (options.ScalingSeries is { } series)
            {
                var names = options.Families.Where(f => series.ContainsKey(f.Name)).ToDictionary(f => f.DisplayName, f => series[f.Name]);
                var rows = ScalingStudy.Rows(sweep, familyRuns.Select(r => (r.Family, r.Training.TotalSeconds, r.Cost)), names);
                AtomicFile.WriteText(Path.Combine(tmp, ScalingStudy.TableFile), w => w.Write(ScalingStudy.FormatMarkdown(rows)));
                ScalingStudy.SaveFigure(rows, Path.Combine(tmp, ScalingStudy.FigureFile));
            }

            if (privacyPoints is not null)
            {
                var rows = PrivacySweep.Rows(sweep, privacyPoints);
                AtomicFile.WriteText(Path.Combine(tmp, PrivacySweep.TableFile), w => w.Write(PrivacySweep.FormatMarkdown(rows)));
                PrivacySweep.SaveFigure(rows, Path.Combine(tmp, PrivacySweep.FigureFile));
            }
        });
        progress?.Report(new ExperimentEvent(ExperimentStage.Report, "", options.Seeds[^1], reportPath));
        return new ExperimentResult(sweep, reportPath, Path.Combine(folder, ResultsFile), [.. synthetic.Select(s => Path.Combine(folder, s.File))], familyRuns, watch.Elapsed);
    }

    /// <summary>The JSON results file in the report folder.</summary>
    public const string ResultsFile = "results.json";

    /// <summary>The options a family trains with in an experiment: its preset, the epoch override, the device, then the caller's changes.</summary>
    public static EhrGeneratorOptions OptionsFor(ExperimentOptions options, GeneratorFamily family, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(family);
        var familyOptions = family.CreateOptions(options.Budget, seed);
        if (options.Epochs is { } epochs)
        {
            familyOptions = family.SetEpochs(familyOptions, epochs);
        }

        familyOptions.Device = options.Device;
        return options.ConfigureOptions?.Invoke(family, familyOptions) ?? familyOptions;
    }

    private static List<string> Setup(ExperimentOptions options, int train, int holdout, int generated, List<FamilyRun> runs)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Data: {options.DataName}, {options.Data.PatientCount:N0} patients × {options.Data.CodeCount:N0} codes, {options.Data.MeanCodesPerPatient:F2} codes per patient."),
            string.Create(CultureInfo.InvariantCulture, $"Split: {options.TrainFraction:P0} train ({train:N0}) / holdout ({holdout:N0}); every model generates {generated:N0} patients and the metrics compare them with the holdout."),
            $"Budget: {options.Budget}. Seeds: {string.Join(", ", options.Seeds)} (each seed draws its own split, training, sampling and metric randomness).",
            $"Machine: {MachineDescription.Summary()}.",
        };
        foreach (var family in runs.GroupBy(r => r.Family))
        {
            var times = family.ToList();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{family.Key}: {times[0].Settings}; trained in {times.Average(t => t.Training.TotalSeconds):F0} s, generated in {times.Average(t => t.Generation.TotalSeconds):F1} s{(times.Count > 1 ? " (mean over seeds)" : "")}."));
            foreach (var run in times.Where(t => t.Privacy is not null))
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{family.Key}, seed {run.Seed}: differentially private, {run.Privacy}."));
            }

            foreach (var run in times)
            {
                lines.AddRange((run.Notes ?? []).Select(n => string.Create(CultureInfo.InvariantCulture, $"{family.Key}, seed {run.Seed}: {n}.")));
            }
        }

        lines.AddRange(options.Notes);
        return lines;
    }

    private sealed class Forward<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
