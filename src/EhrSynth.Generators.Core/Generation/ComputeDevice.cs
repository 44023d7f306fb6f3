using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EhrSynth.Generators.Generation;

/// <summary>Where a generator's tensors live: <c>auto</c> (CUDA when available, else CPU), <c>cpu</c>, or <c>cuda[:index]</c>.</summary>
/// <remarks>This is a plain value so that Core does not depend on TorchSharp; the Torch layer resolves it.</remarks>
[JsonConverter(typeof(ComputeDeviceJsonConverter))]
public readonly record struct ComputeDevice
{
    private ComputeDevice(ComputeDeviceKind kind, int? index)
    {
        Kind = kind;
        Index = index;
    }

    /// <summary>The kind of device.</summary>
    public ComputeDeviceKind Kind { get; }

    /// <summary>The CUDA device index, when one was given.</summary>
    public int? Index { get; }

    /// <summary>CUDA when available, else CPU.</summary>
    public static ComputeDevice Auto => default;

    /// <summary>The CPU.</summary>
    public static ComputeDevice Cpu => new(ComputeDeviceKind.Cpu, null);

    /// <summary>A CUDA GPU; requesting it when none is available is an error.</summary>
    /// <param name="index">Device index, or <see langword="null"/> for the current device.</param>
    public static ComputeDevice Cuda(int? index = null)
    {
        if (index is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "The CUDA device index must be ≥ 0.");
        }

        return new(ComputeDeviceKind.Cuda, index);
    }

    /// <summary>Parses <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive).</summary>
    /// <exception cref="FormatException">The text is none of those.</exception>
    public static ComputeDevice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToLowerInvariant();
        if (t is "" or "auto")
        {
            return Auto;
        }

        if (t == "cpu")
        {
            return Cpu;
        }

        if (t == "cuda")
        {
            return Cuda();
        }

        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int i))
        {
            return Cuda(i);
        }

        throw new FormatException($"'{text}' is not a device; use auto, cpu, cuda or cuda:N.");
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ComputeDeviceKind.Cpu => "cpu",
        ComputeDeviceKind.Cuda => Index is { } i ? string.Create(CultureInfo.InvariantCulture, $"cuda:{i}") : "cuda",
        _ => "auto",
    };

    private sealed class ComputeDeviceJsonConverter : JsonConverter<ComputeDevice>
    {
        public override ComputeDevice Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Parse(reader.GetString() ?? "auto");

        public override void Write(Utf8JsonWriter writer, ComputeDevice value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
