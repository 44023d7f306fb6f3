namespace EhrSynth.Generators.Generation;

/// <summary>The requested <see cref="ComputeDevice"/> does not exist here (for example CUDA with a CPU-only backend).</summary>
public sealed class DeviceUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="device">The device asked for.</param>
    /// <param name="message">What is missing and how to get it.</param>
    public DeviceUnavailableException(ComputeDevice device, string message)
        : base(message)
    {
        Device = device;
    }

    /// <summary>The device asked for.</summary>
    public ComputeDevice Device { get; }
}
