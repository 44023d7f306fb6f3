using EhrSynth.Generators.Metrics.Suite;

namespace EhrSynth.Generators.Reporting;

/// <summary>
/// One row of a size study (<see cref="ScalingStudy"/>): a model with its size and training compute, or the floor or
/// the ceiling, with each headline value's mean and standard deviation over seeds.
/// </summary>
/// <param name="Name">The row's name in the comparison.</param>
/// <param name="Kind">Floor, model or ceiling.</param>
/// <param name="Series">The line a model belongs to (for example the tokenizer); <see langword="null"/> for the floor and the ceiling.</param>
/// <param name="Parameters">Trainable parameters (models only).</param>
/// <param name="TrainingFlops">Estimated training floating-point operations, mean over seeds (models only; <see cref="Generation.TrainingCost.EstimatedFlops"/>).</param>
/// <param name="TrainingSeconds">Training wall time, mean over seeds (models only).</param>
/// <param name="Values">Mean and standard deviation over seeds by metric key (<see cref="ScalingStudy.Columns"/>); the deviation is NaN from a single seed.</param>
public sealed record ScalingRow(
    string Name,
    RowKind Kind,
    string? Series,
    long? Parameters,
    double? TrainingFlops,
    double? TrainingSeconds,
    IReadOnlyDictionary<string, (double Mean, double Sd)> Values);
