namespace EhrSynth.Generators.Torch;

/// <summary>
/// How many values the standard layers keep in their state (parameters and buffers), computed from their sizes alone:
/// a network's <c>StateSize</c> adds these up, so a saved model can be checked against its weights file before anything
/// is allocated (see <see cref="TorchGeneratorBase{TOptions}.StateSize"/>). Contract tests compare every family's sum
/// with the state it actually builds.
/// </summary>
public static class ModuleSizes
{
    /// <summary><c>nn.Linear(inputs, outputs)</c>: the weight and, with <paramref name="bias"/>, the bias.</summary>
    public static long Linear(long inputs, long outputs, bool bias = true) => checked((inputs * outputs) + (bias ? outputs : 0));

    /// <summary><c>nn.Conv1d</c> or <c>nn.ConvTranspose1d</c> (groups 1): the weight and, with <paramref name="bias"/>, the bias.</summary>
    public static long Conv1d(long inputs, long outputs, long kernel, bool bias = true) => checked((inputs * outputs * kernel) + (bias ? outputs : 0));

    /// <summary><c>nn.BatchNorm1d(features)</c>: weight, bias, running mean and variance, and the batch counter.</summary>
    public static long BatchNorm1d(long features) => checked((4 * features) + 1);

    /// <summary><c>nn.LayerNorm(features)</c>: weight and bias.</summary>
    public static long LayerNorm(long features) => checked(2 * features);
}
