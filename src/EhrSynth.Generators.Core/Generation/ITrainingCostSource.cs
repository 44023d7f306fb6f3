namespace EhrSynth.Generators.Generation;

/// <summary>A generator that can say what its last fit cost (<see cref="TrainingCost"/>): every built-in family.</summary>
public interface ITrainingCostSource
{
    /// <summary>The cost of the last completed fit; <see langword="null"/> before one (or after loading a saved model).</summary>
    TrainingCost? LastTrainingCost { get; }
}
