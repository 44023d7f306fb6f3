namespace EhrSynth.Generators.Extending.Tests;

/// <summary>The options of the outside flow-matching family: the diffusion base's, plus its Euler steps.</summary>
public sealed class FlowMatchingOptions : Diffusion.DiffusionOptions
{
    /// <summary>Euler steps from noise (t = 1) to data (t = 0). The default value is 20.</summary>
    public int EulerSteps { get; set; } = 20;
}
