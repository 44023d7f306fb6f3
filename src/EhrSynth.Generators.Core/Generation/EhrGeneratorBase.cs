using System.Diagnostics;
using System.Text.Json;
using EhrSynth.Generators.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EhrSynth.Generators.Generation;

/// <summary>
/// The template every generator follows. Public methods validate input, resolve the seed and check the output;
/// families implement only the protected <c>*Core</c> methods.
/// </summary>
/// <typeparam name="TOptions">The family's options.</typeparam>
public abstract class EhrGeneratorBase<TOptions> : ICohortGenerator
    where TOptions : EhrGeneratorOptions
{
    private int _busy;
    private volatile bool _disposed;
    private GenerationReport? _pendingReport;
    private int? _seedUsed;

    /// <summary>Validates and copies the options.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid; every problem is listed.</exception>
    protected EhrGeneratorBase(TOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = OptionsValidator.ValidateAndClone(options);
        Logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The options (a validated copy of those given to the constructor).</summary>
    public TOptions Options { get; }

    /// <inheritdoc />
    public CodeVocabulary? Vocabulary { get; private set; }

    /// <inheritdoc />
    /// <remarks>False after <see cref="Dispose()"/>.</remarks>
    public bool IsFitted => Vocabulary is not null && !_disposed;

    /// <summary>The seed used by the last fit (or the loaded model's), when known.</summary>
    public int? TrainingSeed { get; private set; }

    /// <inheritdoc />
    public GenerationReport? LastGenerationReport { get; private set; }

    /// <summary>The logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>The fewest training patients the family accepts. The default value is 2.</summary>
    protected virtual int MinimumTrainingPatients => 2;

    /// <inheritdoc />
    public Task FitAsync(EhrDataset trainingData, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainingData);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ValidateTrainingData(trainingData);
        cancellationToken.ThrowIfCancellationRequested();
        int seed = ResolveSeed(null);
        return Task.Factory.StartNew(
            () => RunExclusive(() =>
            {
                var watch = Stopwatch.StartNew();
                Vocabulary = null;
                _seedUsed = null;
                FitSeed = seed;
                Log.FitStarted(Logger, Name, trainingData.PatientCount, trainingData.CodeCount, seed);
                FitCore(trainingData, seed, progress, cancellationToken);
                TrainingSeed = _seedUsed ?? seed;
                Vocabulary = trainingData.Vocabulary;
                Log.FitFinished(Logger, Name, watch.Elapsed.TotalSeconds);
            }),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <inheritdoc />
    public EhrDataset Generate(int count, int? seed = null, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        GenerateWith(count, seed, s => GenerateCore(count, s, progress, cancellationToken), cancellationToken);

    /// <inheritdoc />
    /// <remarks>The default is <see cref="CohortMethod.Rejection"/>; families that condition natively override it with <see cref="GenerateCohortCore"/>.</remarks>
    public virtual CohortMethod CohortMethod => CohortMethod.Rejection;

    /// <inheritdoc />
    public EhrDataset GenerateCohort(CohortCondition condition, int count, int? seed = null, CohortSamplingOptions? sampling = null, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ObjectDisposedException.ThrowIf(_disposed, this);
        sampling ??= CohortSamplingOptions.Default;
        if (sampling.Problems().ToList() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"Cohort sampling options: {string.Join(" ", problems)}", nameof(sampling));
        }

        var vocabulary = Vocabulary ?? throw new InvalidOperationException($"{Name}: the generator is not fitted; call FitAsync or Load first.");
        var cohort = condition.Resolve(vocabulary);
        string written = condition.ToString();
        return GenerateWith(count, seed, s =>
        {
            if (cohort.IsEmpty)
            {
                return GenerateCore(count, s, progress, cancellationToken);
            }

            var (data, report) = GenerateCohortCore(cohort, count, s, sampling, progress, cancellationToken);
            for (int p = 0; p < data.PatientCount; p++)
            {
                if (!cohort.IsSatisfiedBy(data.GetCodes(p)))
                {
                    throw new InvalidOperationException($"{Name}: its {CohortMethod} sampler returned record {p + 1} outside the cohort ({written}).");
                }
            }

            _pendingReport = (_pendingReport ?? new GenerationReport()) with { Cohort = report with { Condition = written } };
            return data;
        }, cancellationToken);
    }

    /// <summary>
    /// Samples <paramref name="count"/> records that satisfy <paramref name="cohort"/> (never empty) and says how. The
    /// default draws from <see cref="GenerateCore"/> by rejection (<see cref="CohortSampler.Rejection"/>); a family that
    /// conditions natively overrides it and <see cref="CohortMethod"/>. The base checks every record it returns.
    /// </summary>
    protected virtual (EhrDataset Data, CohortReport Report) GenerateCohortCore(CohortCodes cohort, int count, int seed, CohortSamplingOptions sampling, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var result = CohortSampler.Rejection(Name, cohort, Vocabulary!, count, seed, (n, s) => GenerateCore(n, s, null, cancellationToken), sampling, progress, cancellationToken);
        _pendingReport = null;                                                                      // the batches' own validity counts do not describe the cohort
        return result;
    }

    /// <summary>
    /// The template of every generation entry point (<see cref="Generate"/>, and those a family adds, such as the LLM's
    /// cohorts): checks that the generator is fitted, resolves the seed, runs one call at a time, checks that
    /// <paramref name="core"/> returned <paramref name="count"/> patients over the fitted vocabulary, and fills
    /// <see cref="LastGenerationReport"/>.
    /// </summary>
    /// <param name="count">Patients to generate, ≥ 1.</param>
    /// <param name="seed">The seed, or <see langword="null"/> for the options' (or a random one).</param>
    /// <param name="core">Generates with the resolved seed.</param>
    /// <param name="cancellationToken">Checked before generating.</param>
    protected EhrDataset GenerateWith(int count, int? seed, Func<int, EhrDataset> core, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentNullException.ThrowIfNull(core);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var vocabulary = Vocabulary ?? throw new InvalidOperationException($"{Name}: the generator is not fitted; call FitAsync or Load first.");
        int resolved = ResolveSeed(seed);
        return RunExclusive(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            _pendingReport = null;
            var data = core(resolved);
            if (data.PatientCount != count || !data.Vocabulary.Equals(vocabulary))
            {
                throw new InvalidOperationException($"{Name}: the sampler returned {data.PatientCount} patients over another vocabulary; expected {count} over the fitted one.");
            }

            data = ReferenceEquals(data.Vocabulary, vocabulary) ? data : data.WithVocabulary(vocabulary);
            int empty = data.EmptyPatientCount();
            LastGenerationReport = (_pendingReport ?? new GenerationReport()) with
            {
                RecordsGenerated = count,
                EmptyRecords = empty,
                Elapsed = watch.Elapsed,
            };
            Log.Generated(Logger, Name, count, watch.Elapsed.TotalSeconds, empty);
            return data;
        });
    }

    /// <inheritdoc />
    public void Save(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var vocabulary = Vocabulary ?? throw new InvalidOperationException($"{Name}: the generator is not fitted; there is nothing to save.");
        RunExclusive(() =>
        {
            IO.AtomicFile.WriteDirectory(folder, tmp =>
            {
                var state = new Dictionary<string, JsonElement>();
                SaveCore(tmp, state);
                CreateManifest(vocabulary, state).Write(tmp);
            });
            Log.Saved(Logger, Name, folder);
            return 0;
        });
    }

    /// <summary>Builds the manifest written beside the weights.</summary>
    protected GeneratorManifest CreateManifest(CodeVocabulary vocabulary, Dictionary<string, JsonElement> state) => new()
    {
        Family = Name,
        GeneratorType = GetType().FullName!,
        Options = JsonSerializer.SerializeToElement(Options, Options.GetType(), GeneratorJson.Options),
        Codes = vocabulary.Codes,
        Titles = vocabulary.HasTitles ? Enumerable.Range(0, vocabulary.Count).Select(vocabulary.GetTitle).ToArray() : null,
        TrainingSeed = TrainingSeed,
        State = state,
    };

    /// <summary>
    /// Loads a generator saved by <see cref="Save"/>: reads and checks the manifest, checks the family, rebuilds the
    /// options (on <paramref name="device"/>, whatever device the model was trained on) and vocabulary, creates the
    /// generator with <paramref name="create"/> and lets it read its weights.
    /// </summary>
    /// <param name="folder">The saved generator's folder.</param>
    /// <param name="family">The expected <see cref="Name"/>.</param>
    /// <param name="create">Creates an unfitted generator from the saved options.</param>
    /// <param name="expectedVocabulary">When given, the saved vocabulary must equal it.</param>
    /// <param name="device">Where to load the model. The default value is <see cref="ComputeDevice.Auto"/>.</param>
    /// <param name="cancellationToken">Cancels the load while it waits (for another generator to leave libtorch's process-wide state).</param>
    /// <exception cref="FileNotFoundException">The folder holds no saved generator.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidDataException">
    /// The folder holds another family, the vocabulary differs from <paramref name="expectedVocabulary"/>, or a file is
    /// malformed (<see cref="IO.EhrDataFormatException"/> for the manifest, naming the file).
    /// </exception>
    protected static TGenerator LoadGenerator<TGenerator>(string folder, string family, Func<TOptions, TGenerator> create, CodeVocabulary? expectedVocabulary, ComputeDevice? device = null, CancellationToken cancellationToken = default)
        where TGenerator : EhrGeneratorBase<TOptions>
    {
        ArgumentNullException.ThrowIfNull(create);
        var manifest = GeneratorManifest.Read(folder);
        string manifestPath = Path.Combine(folder, GeneratorManifest.FileName);
        if (manifest.Family != family)
        {
            throw new InvalidDataException($"{folder} holds a {IO.TextSafety.Printable(manifest.Family, 64)} generator, not {family}.");
        }

        var vocabulary = manifest.ToVocabulary();
        if (expectedVocabulary is not null && !expectedVocabulary.Equals(vocabulary))
        {
            var missing = expectedVocabulary.Where(c => !vocabulary.Contains(c)).Take(20).ToList();
            var extra = vocabulary.Where(c => !expectedVocabulary.Contains(c)).Take(20).ToList();
            throw new InvalidDataException(
                $"{folder}: the saved vocabulary ({vocabulary.Count} codes) differs from the expected one ({expectedVocabulary.Count} codes)." +
                (missing.Count > 0 ? $" Missing: {string.Join(", ", missing)}." : "") +
                (extra.Count > 0 ? $" Unexpected: {string.Join(", ", extra)}." : "") +
                (missing.Count == 0 && extra.Count == 0 ? " Same codes, different column order." : ""));
        }

        TOptions options;
        try
        {
            options = manifest.Options.Deserialize<TOptions>(GeneratorJson.Options)
                ?? throw new IO.EhrDataFormatException("the manifest has no options", manifestPath);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new IO.EhrDataFormatException($"the saved options do not fit {family} ({e.Message})", manifestPath, innerException: e);
        }

        options.Device = device ?? ComputeDevice.Auto;
        TGenerator generator;
        try
        {
            generator = create(options);
        }
        catch (System.ComponentModel.DataAnnotations.ValidationException e)
        {
            throw new IO.EhrDataFormatException($"the saved options are invalid: {e.Message}", manifestPath, innerException: e);
        }

        try
        {
            generator.LoadCore(folder, manifest, vocabulary, cancellationToken);
            generator.Vocabulary = vocabulary;
            generator.TrainingSeed = manifest.TrainingSeed;
            Log.Loaded(generator.Logger, family, folder);
            return generator;
        }
        catch
        {
            generator.Dispose();
            throw;
        }
    }

    /// <summary>Trains the model. Called on a worker thread, one call at a time.</summary>
    /// <param name="trainingData">Validated training data.</param>
    /// <param name="seed">The resolved seed.</param>
    /// <param name="progress">Progress sink, may be null.</param>
    /// <param name="cancellationToken">Check at least once per batch.</param>
    protected abstract void FitCore(EhrDataset trainingData, int seed, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Samples <paramref name="count"/> patients over <see cref="Vocabulary"/>.</summary>
    protected abstract EhrDataset GenerateCore(int count, int seed, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Writes weights and state into <paramref name="folder"/> (a temporary folder) and adds manifest state.</summary>
    protected abstract void SaveCore(string folder, Dictionary<string, JsonElement> state);

    /// <summary>Reads weights and state written by <see cref="SaveCore"/>.</summary>
    /// <exception cref="InvalidDataException">The files do not fit the vocabulary or options.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (check it before long waits).</exception>
    protected abstract void LoadCore(string folder, GeneratorManifest manifest, CodeVocabulary vocabulary, CancellationToken cancellationToken);

    /// <summary>Lets <see cref="GenerateCore"/> report validity counts (records, empties and time are filled in by the base).</summary>
    protected void ReportGeneration(GenerationReport report) => _pendingReport = report;

    /// <summary>Records that <see cref="FitCore"/> trained with another seed than it was given (a resumed checkpoint's).</summary>
    protected void UseTrainingSeed(int seed) => (_seedUsed, FitSeed) = (seed, seed);

    /// <summary>
    /// The seed of the fit in progress, resolved: the options' seed, or the one drawn for this fit, or a resumed
    /// checkpoint's (<see cref="UseTrainingSeed"/>). Work a fit does after its steps (calibration samples, checks) derives
    /// its randomness from it, so a fit with a drawn seed equals the fit given that seed.
    /// </summary>
    protected int FitSeed { get; private set; }

    /// <summary>Marks the generator fitted with a vocabulary (for families that restore state outside <see cref="LoadGenerator{TGenerator}"/>).</summary>
    protected void SetFitted(CodeVocabulary vocabulary, int? seed)
    {
        Vocabulary = vocabulary;
        TrainingSeed = seed;
    }

    /// <summary>Checks training data; families may add checks.</summary>
    /// <exception cref="ArgumentException">The data cannot be learned.</exception>
    protected virtual void ValidateTrainingData(EhrDataset trainingData)
    {
        if (trainingData.PatientCount < MinimumTrainingPatients)
        {
            throw new ArgumentException($"{Name}: the training data has {trainingData.PatientCount} patients; at least {MinimumTrainingPatients} are needed.", nameof(trainingData));
        }

        if (trainingData.CodeCount == 0 || trainingData.StoredCodeCount == 0)
        {
            throw new ArgumentException($"{Name}: the training data has no codes.", nameof(trainingData));
        }
    }

    /// <summary>
    /// Refuses a differentially private fit over a vocabulary read from the patients (which codes occur is itself
    /// information about them): the data must be aligned to a list declared public (<see cref="CodeVocabulary.IsPublic"/>).
    /// Families with a private fit call it from <see cref="ValidateTrainingData"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The vocabulary is not declared public; the message says how to pass one.</exception>
    protected void RequirePublicVocabulary(EhrDataset trainingData)
    {
        ArgumentNullException.ThrowIfNull(trainingData);
        if (!trainingData.Vocabulary.IsPublic)
        {
            throw new ArgumentException(
                $"{Name}: a differentially private fit takes its columns from a public code list, not from the patients (which codes occur is itself private). " +
                "Align the data to one first — data.AlignTo(EhrDatasets.PublicCategories(CodeSystem.Icd9)!) for ICD-9 categories (Icd10, Icd9And10 likewise) — " +
                "or, for a list you fixed without looking at the data, data.AlignTo(yourCodes.AsPublic()).", nameof(trainingData));
        }
    }

    /// <summary>The seed to use: the argument, else the options' seed, else a random one (logged so the run can be repeated).</summary>
    protected int ResolveSeed(int? seed)
    {
        if ((seed ?? Options.Seed) is { } s)
        {
            return s;
        }

        int drawn = Random.Shared.Next();
        Log.SeedDrawn(Logger, Name, drawn);
        return drawn;
    }

    /// <summary>
    /// Releases the model. Afterwards <see cref="IsFitted"/> is false and every call throws
    /// <see cref="ObjectDisposedException"/>; a second Dispose does nothing. A generator in the middle of a Fit,
    /// Generate or Save call is not disposed under it: the call is refused with an <see cref="InvalidOperationException"/>
    /// (cancel the running call and wait for it, then dispose).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another call is running on this generator.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            throw new InvalidOperationException($"{Name}: cannot be disposed while a Fit, Generate or Save call is running on it; cancel that call and wait for it to end first.");
        }

        try
        {
            _disposed = true;
            Dispose(true);
            GC.SuppressFinalize(this);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Releases native resources.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    private T RunExclusive<T>(Func<T> action)
    {
        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            throw new InvalidOperationException($"{Name}: another Fit, Generate or Save call is running on this generator.");
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return action();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void RunExclusive(Action action) => RunExclusive(() =>
    {
        action();
        return 0;
    });
}
