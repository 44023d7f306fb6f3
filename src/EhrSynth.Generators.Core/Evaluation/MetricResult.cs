namespace EhrSynth.Generators.Evaluation;

/// <summary>
/// What one metric found: named values (the first is the headline), optional plot series, and notes — or, for data the
/// metric cannot judge (too few patients for its groups, say), that it was not computed and why
/// (<see cref="NotComputed"/>).
/// </summary>
public sealed class MetricResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="metricName">The metric's <see cref="IUtilityMetric.Name"/>.</param>
    /// <param name="values">Values; the first is the headline.</param>
    /// <param name="series">Plot series, by name.</param>
    /// <param name="notes">Remarks, for example that a side was subsampled.</param>
    public MetricResult(string metricName, IReadOnlyList<MetricValue> values, IReadOnlyList<MetricSeries>? series = null, IReadOnlyList<string>? notes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(metricName);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("A result needs at least one value.", nameof(values));
        }

        MetricName = metricName;
        Values = values;
        Series = series ?? [];
        Notes = notes ?? [];
    }

    private MetricResult(string metricName, string reason)
    {
        MetricName = metricName;
        Values = [];
        Series = [];
        Notes = [];
        NotComputedReason = reason;
    }

    /// <summary>Whether the metric was computed; when not, <see cref="Values"/> is empty and <see cref="NotComputedReason"/> says why.</summary>
    public bool IsComputed => NotComputedReason is null;

    /// <summary>Why the metric was not computed on this data, or <see langword="null"/> when it was.</summary>
    public string? NotComputedReason { get; }

    /// <summary>The metric's name.</summary>
    public string MetricName { get; }

    /// <summary>All values; the first is the headline.</summary>
    public IReadOnlyList<MetricValue> Values { get; }

    /// <summary>Plot series.</summary>
    public IReadOnlyList<MetricSeries> Series { get; }

    /// <summary>Remarks.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The headline value.</summary>
    /// <exception cref="InvalidOperationException">The metric was not computed (<see cref="IsComputed"/>).</exception>
    public MetricValue Headline => IsComputed ? Values[0] : throw new InvalidOperationException($"{MetricName} was not computed: {NotComputedReason}");

    /// <summary>
    /// A result saying that the metric could not be computed on this data — a property of the data, not an error — and
    /// why, in a sentence that names the numbers (for example "10 groups need at least 10 patients per side; the smaller
    /// side has 4"). Reports show such a metric as not computed, with the reason, and every other metric as usual.
    /// </summary>
    /// <param name="metricName">The metric's <see cref="IUtilityMetric.Name"/>.</param>
    /// <param name="reason">Why, in one sentence.</param>
    public static MetricResult NotComputed(string metricName, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(metricName);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new MetricResult(metricName, reason);
    }

    /// <summary>A value by key.</summary>
    /// <exception cref="KeyNotFoundException">No value has that key.</exception>
    public double this[string key] => Find(key)?.Value ?? throw new KeyNotFoundException(IsComputed
        ? $"{MetricName} has no value '{key}' (it has: {string.Join(", ", Values.Select(v => v.Key))})."
        : $"{MetricName} has no value '{key}': it was not computed ({NotComputedReason}).");

    /// <summary>A value by key, or <see langword="null"/>.</summary>
    public MetricValue? Find(string key) => Values.FirstOrDefault(v => v.Key == key);

    /// <summary>A series by name, or <see langword="null"/>.</summary>
    public MetricSeries? FindSeries(string name) => Series.FirstOrDefault(s => s.Name == name);
}
