namespace EhrSynth.Generators.Evaluation;

/// <summary>What one metric found: named values (the first is the headline), optional plot series, and notes.</summary>
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

    /// <summary>The metric's name.</summary>
    public string MetricName { get; }

    /// <summary>All values; the first is the headline.</summary>
    public IReadOnlyList<MetricValue> Values { get; }

    /// <summary>Plot series.</summary>
    public IReadOnlyList<MetricSeries> Series { get; }

    /// <summary>Remarks.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The headline value.</summary>
    public MetricValue Headline => Values[0];

    /// <summary>A value by key.</summary>
    /// <exception cref="KeyNotFoundException">No value has that key.</exception>
    public double this[string key] => Find(key)?.Value ?? throw new KeyNotFoundException($"{MetricName} has no value '{key}' (it has: {string.Join(", ", Values.Select(v => v.Key))}).");

    /// <summary>A value by key, or <see langword="null"/>.</summary>
    public MetricValue? Find(string key) => Values.FirstOrDefault(v => v.Key == key);

    /// <summary>A series by name, or <see langword="null"/>.</summary>
    public MetricSeries? FindSeries(string name) => Series.FirstOrDefault(s => s.Name == name);
}
