using System.Text.Json;
using System.Text.Json.Serialization;

namespace EhrSynth.Generators.Generation;

/// <summary>The JSON settings of checkpoint manifests and options files.</summary>
public static class GeneratorJson
{
    /// <summary>
    /// camelCase names, enums as strings, indented; <see langword="null"/> is refused where the type does not allow it,
    /// so a file with a missing value fails to read instead of producing an object in an impossible state.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
