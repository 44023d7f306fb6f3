namespace EhrSynth.Generators.Generation;

/// <summary>Kinds of <see cref="ComputeDevice"/>.</summary>
public enum ComputeDeviceKind
{
    /// <summary>CUDA when available, else CPU.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>A CUDA GPU.</summary>
    Cuda,
}
