using EhrSynth.Generators.Metrics.Suite;

namespace EhrSynth.Generators.Reporting;

/// <summary>
/// One row of a privacy sweep (<see cref="PrivacySweep"/>): a model trained with DP-SGD to some ε or without privacy,
/// or the floor or the ceiling, with each value's mean and standard deviation over seeds.
/// </summary>
/// <param name="Name">The row's name in the comparison.</param>
/// <param name="Kind">Floor, model or ceiling.</param>
/// <param name="Point">The model's family line and ε; <see langword="null"/> for the floor and the ceiling.</param>
/// <param name="Values">Mean and standard deviation over seeds by metric key (<see cref="PrivacySweep.Columns"/>); the deviation is NaN from a single seed.</param>
public sealed record PrivacySweepRow(string Name, RowKind Kind, PrivacyPoint? Point, IReadOnlyDictionary<string, (double Mean, double Sd)> Values);
