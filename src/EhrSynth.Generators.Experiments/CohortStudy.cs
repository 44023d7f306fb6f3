using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Metrics.Suite;
using EhrSynth.Generators.Reporting;

namespace EhrSynth.Generators.Experiments;

/// <summary>
/// Conditional generation measured: per seed, every family is trained once on the training split, then asked for each
/// cohort; each family's cohort is judged against the holdout patients of the cohort, beside the cohort floor
/// (independent codes at the training cohort's prevalences), the pairwise reference fitted to the training cohort, and
/// the ceiling (training cohort patients). The question it answers: does a model trained on everyone know a cohort's
/// other diagnoses better than the cohort's own few patients do?
/// </summary>
public static class CohortStudy
{
    /// <summary>File name of the machine-readable results in the report folder.</summary>
    public const string ResultsFile = "cohorts.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Runs the study and writes <see cref="CohortStudyReport.TableFile"/>, <see cref="CohortStudyReport.FigureFile"/> and <see cref="ResultsFile"/>.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">Invalid options (every problem listed), including a cohort code not in the data.</exception>
    public static async Task<CohortStudyResult> RunAsync(CohortStudyOptions options, IProgress<ExperimentEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidator.Validate(options);
        var experiment = options.Experiment;
        OptionsValidator.Validate(experiment);
        AtomicFile.CheckDirectoryTarget(experiment.OutputFolder);
        foreach (var family in experiment.Families)
        {
            OptionsValidator.Validate(ComparisonExperiment.OptionsFor(experiment, family, experiment.Seeds[0]));
        }

        var watch = Stopwatch.StartNew();
        var suite = experiment.Suite ?? MetricSuite.CreateDefault();
        int k = options.Cohorts.Count;
        var runs = Enumerable.Range(0, k).Select(_ => new List<SeedRun>()).ToArray();
        var sizes = Enumerable.Range(0, k).Select(_ => new List<(int Train, int Holdout)>()).ToArray();
        var generations = new List<CohortGeneration>();
        var training = new List<FamilyRun>();
        foreach (int seed in experiment.Seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (train, holdout) = experiment.Data.Split(experiment.TrainFraction, seed);
            progress?.Report(new ExperimentEvent(ExperimentStage.Data, "", seed, string.Create(CultureInfo.InvariantCulture,
                $"{experiment.DataName}: train {train.PatientCount:N0}, holdout {holdout.PatientCount:N0} (seed {seed})")));
            var fitted = new List<(Families.GeneratorFamily Family, IEhrGenerator Generator)>();
            try
            {
                foreach (var family in experiment.Families)
                {
                    var familyOptions = ComparisonExperiment.OptionsFor(experiment, family, seed);
                    var generator = family.Create(familyOptions, experiment.LoggerFactory);
                    fitted.Add((family, generator));
                    progress?.Report(new ExperimentEvent(ExperimentStage.Train, family.DisplayName, seed, $"training {family.DisplayName} ({family.Describe(familyOptions)})"));
                    var fit = Stopwatch.StartNew();
                    await generator.FitAsync(train, null, cancellationToken).ConfigureAwait(false);
                    training.Add(new FamilyRun(family.DisplayName, seed, family.Describe(familyOptions), fit.Elapsed, TimeSpan.Zero, 0, null, null, []));
                }

                for (int c = 0; c < k; c++)
                {
                    var condition = options.Cohorts[c];
                    var codes = condition.Resolve(train.Vocabulary);
                    var trainCohort = codes.Select(train);
                    var holdoutCohort = codes.Select(holdout);
                    sizes[c].Add((trainCohort.PatientCount, holdoutCohort.PatientCount));
                    var sets = new List<SyntheticSet>();
                    var failed = new Dictionary<string, string>();
                    foreach (var (family, generator) in fitted)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        progress?.Report(new ExperimentEvent(ExperimentStage.Generate, family.DisplayName, seed, $"cohort {condition}: {options.CohortSize:N0} patients"));
                        var gen = Stopwatch.StartNew();
                        try
                        {
                            var (data, report) = CohortSampler.Generate(generator, condition, options.CohortSize, seed, options.Sampling, null, cancellationToken);
                            sets.Add(new SyntheticSet(family.DisplayName, data, generator.LastGenerationReport));
                            generations.Add(new CohortGeneration(family.DisplayName, condition.ToString(), seed, report, gen.Elapsed, null));
                        }
                        catch (CohortUnreachableException e)
                        {
                            failed[family.DisplayName] = e.Message;
                            generations.Add(new CohortGeneration(family.DisplayName, condition.ToString(), seed, e.Report, gen.Elapsed, e.Message));
                        }
                    }

                    runs[c].Add(new SeedRun(seed, Evaluate(suite, trainCohort, holdoutCohort, sets, failed, fitted.Select(f => f.Family.DisplayName), options.CohortSize, seed, progress, cancellationToken)));
                }
            }
            finally
            {
                foreach (var (_, generator) in fitted)
                {
                    generator.Dispose();
                }
            }
        }

        var cohorts = Enumerable.Range(0, k).Select(c => new CohortStudyCohort(
            options.Cohorts[c].ToString(), [.. sizes[c].Select(s => s.Train)], [.. sizes[c].Select(s => s.Holdout)], new SeedSweepReport(runs[c]),
            Generation(generations.Where(g => g.Cohort == options.Cohorts[c].ToString())))).ToList();
        string folder = Path.GetFullPath(experiment.OutputFolder);
        progress?.Report(new ExperimentEvent(ExperimentStage.Report, "", experiment.Seeds[^1], $"writing {folder}"));
        var setup = Setup(options, training);
        AtomicFile.WriteDirectory(folder, tmp =>
        {
            AtomicFile.WriteText(Path.Combine(tmp, CohortStudyReport.TableFile), w =>
            {
                foreach (var line in setup)
                {
                    w.Write("- ");
                    w.WriteLine(line);
                }

                w.WriteLine();
                w.Write(CohortStudyReport.FormatMarkdown(cohorts));
            });
            CohortStudyReport.SaveFigure(cohorts, Path.Combine(tmp, CohortStudyReport.FigureFile));
            AtomicFile.WriteText(Path.Combine(tmp, ResultsFile), w => w.Write(JsonSerializer.Serialize(new
            {
                setup,
                cohortSize = options.CohortSize,
                minimumAcceptance = options.Sampling.MinimumAcceptance,
                cohorts = cohorts.Select(c => new
                {
                    condition = c.Condition,
                    trainPatients = c.TrainPatients,
                    holdoutPatients = c.HoldoutPatients,
                    comparison = ExperimentJson.Build(c.Report, [], []),
                }),
                generations = generations.Select(g => new
                {
                    family = g.Family,
                    cohort = g.Cohort,
                    seed = g.Seed,
                    method = g.Report?.Method.ToString(),
                    drawn = g.Report?.Drawn,
                    accepted = g.Report?.Accepted,
                    acceptanceRate = g.Report is { Drawn: > 0 } r ? r.AcceptanceRate : (double?)null,
                    effectiveDraws = g.Report?.EffectiveDraws,
                    modelShare = g.Report?.ModelShare,
                    seconds = Math.Round(g.Elapsed.TotalSeconds, 2),
                    failure = g.Failure,
                }),
            }, Json)));
        });
        return new CohortStudyResult(cohorts, generations, training, Path.Combine(folder, CohortStudyReport.TableFile), watch.Elapsed);
    }

    /// <summary>The suite's comparison on the cohort, with a row of "not computed" for each family that could not draw it, in family order.</summary>
    private static SuiteReport Evaluate(MetricSuite suite, EhrDataset trainCohort, EhrDataset holdoutCohort, List<SyntheticSet> sets, Dictionary<string, string> failed,
        IEnumerable<string> order, int size, int seed, IProgress<ExperimentEvent>? progress, CancellationToken cancellationToken)
    {
        if (trainCohort.PatientCount == 0 || holdoutCohort.PatientCount == 0)
        {
            string reason = $"the cohort has {trainCohort.PatientCount} training and {holdoutCohort.PatientCount} holdout patients at this seed";
            return new SuiteReport([.. new[] { ("Independent marginals", RowKind.Floor) }.Concat(order.Select(o => (o, RowKind.Model))).Append(("Real train", RowKind.Ceiling))
                .Select(r => NotComputedRow(suite, r.Item1, r.Item2, reason))]);
        }

        progress?.Report(new ExperimentEvent(ExperimentStage.Evaluate, "", seed, "evaluating the cohort"));
        var report = suite.Compare(trainCohort, holdoutCohort, sets, new ComparisonOptions { Seed = seed, FloorSize = size }, null, cancellationToken);
        var rows = report.Rows.Where(r => r.Kind != RowKind.Model).ToList();
        var models = report.Rows.Where(r => r.Kind == RowKind.Model).ToDictionary(r => r.Name);
        int at = rows.FindLastIndex(r => r.Kind is RowKind.Floor or RowKind.Reference) + 1;
        rows.InsertRange(at, order.Select(name => models.TryGetValue(name, out var row) ? row : NotComputedRow(suite, name, RowKind.Model, $"the family could not draw the cohort: {failed[name]}")));
        return new SuiteReport(rows);
    }

    private static SuiteRow NotComputedRow(MetricSuite suite, string name, RowKind kind, string reason) =>
        new(name, kind, [.. suite.Metrics.Select(m => MetricResult.NotComputed(m.Name, reason))], TimeSpan.Zero);

    /// <summary>Per family, how its cohorts were drawn over the seeds.</summary>
    private static Dictionary<string, string> Generation(IEnumerable<CohortGeneration> generations)
    {
        var c = CultureInfo.InvariantCulture;
        return generations.GroupBy(g => g.Family).ToDictionary(g => g.Key, g =>
        {
            var reports = g.Where(x => x.Report is not null).Select(x => x.Report!).ToList();
            string method = reports.FirstOrDefault()?.Method switch
            {
                CohortMethod.Rejection => "rejection sampling",
                CohortMethod.ExactConditional => "exact conditional",
                CohortMethod.Inpainting => "inpainting",
                CohortMethod.Prompt => "prompt + importance resampling",
                _ => "?",
            };
            string detail = reports.FirstOrDefault()?.Method switch
            {
                CohortMethod.Rejection => string.Create(c, $"acceptance {string.Join(" / ", reports.Select(r => r.AcceptanceRate.ToString("P3", c)))} by seed"),
                CohortMethod.Prompt when reports.All(r => r.EffectiveDraws is not null) => string.Create(c, $"effective draws {string.Join(" / ", reports.Select(r => r.EffectiveDraws!.Value.ToString("N0", c)))} of {reports[0].Drawn:N0} by seed"),
                CohortMethod.ExactConditional when reports.All(r => r.ModelShare is not null) => string.Create(c, $"the model puts {string.Join(" / ", reports.Select(r => r.ModelShare!.Value.ToString("P3", c)))} of its patients in the cohort"),
                _ => "",
            };
            string failures = g.Any(x => x.Failure is not null) ? string.Create(c, $"; could not draw it at {g.Count(x => x.Failure is not null)} of {g.Count()} seeds ({g.First(x => x.Failure is not null).Failure})") : "";
            string time = string.Create(c, $"; {g.Average(x => x.Elapsed.TotalSeconds):F1} s per cohort");
            return method + (detail.Length > 0 ? ", " + detail : "") + failures + time;
        });
    }

    private static List<string> Setup(CohortStudyOptions options, List<FamilyRun> training)
    {
        var e = options.Experiment;
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Data: {e.DataName}, {e.Data.PatientCount:N0} patients × {e.Data.CodeCount:N0} codes."),
            string.Create(CultureInfo.InvariantCulture, $"Split: {e.TrainFraction:P0} train / holdout per seed; every family is trained once per seed on all training patients and generates {options.CohortSize:N0} patients per cohort; each cohort is judged against the holdout patients in it."),
            string.Create(CultureInfo.InvariantCulture, $"Rows: the cohort floor (independent codes at the training cohort's prevalences, {options.CohortSize:N0} patients), the pairwise reference fitted to the training cohort, each family, the ceiling (training cohort patients)."),
            string.Create(CultureInfo.InvariantCulture, $"Budget: {e.Budget}. Seeds: {string.Join(", ", e.Seeds)}. Rejection sampling accepts down to {options.Sampling.MinimumAcceptance:P2}."),
            $"Machine: {MachineDescription.Summary()}.",
        };
        lines.AddRange(training.GroupBy(r => r.Family).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key}: {f.First().Settings}; trained in {f.Average(r => r.Training.TotalSeconds):F0} s (mean over seeds).")));
        lines.AddRange(e.Notes);
        return lines;
    }
}
