using EhrSynth.Generators.Generation;
using TorchSharp;

namespace EhrSynth.Generators.Torch;

/// <summary>Resolves a <see cref="ComputeDevice"/> to a libtorch device.</summary>
public static class TorchDevices
{
    /// <summary>Whether the loaded libtorch backend has a usable CUDA device (false with TorchSharp-cpu).</summary>
    public static bool IsCudaAvailable => torch.cuda.is_available();

    /// <summary>The device a <see cref="ComputeDevice"/> resolves to here, as text (<c>cpu</c>, <c>cuda:0</c>).</summary>
    /// <exception cref="DeviceUnavailableException">CUDA was requested but is not available.</exception>
    public static string Describe(ComputeDevice device) => Resolve(device).ToString();

    /// <summary>
    /// <c>auto</c> → CUDA when available, else CPU; an explicit device is honoured, and CUDA when it is not
    /// available is an error that says how to get it.
    /// </summary>
    /// <exception cref="DeviceUnavailableException">CUDA was requested but is not available.</exception>
    internal static torch.Device Resolve(ComputeDevice device)
    {
        switch (device.Kind)
        {
            case ComputeDeviceKind.Cpu:
                return torch.CPU;
            case ComputeDeviceKind.Cuda:
                if (!torch.cuda.is_available())
                {
                    throw new DeviceUnavailableException(device,
                        $"Device '{device}' was requested, but CUDA is not available. Reference a CUDA backend package " +
                        "(TorchSharp-cuda-linux or TorchSharp-cuda-windows; build with -p:TorchBackend=cuda) on a machine with an NVIDIA GPU, " +
                        "or use Device = auto or cpu. See docs/gpu.md.");
                }

                int count = torch.cuda.device_count();
                if (device.Index is { } i && i >= count)
                {
                    throw new DeviceUnavailableException(device, $"Device '{device}' was requested, but only {count} CUDA device(s) exist.");
                }

                return new torch.Device(DeviceType.CUDA, device.Index ?? 0);
            default:
                return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }
    }
}
