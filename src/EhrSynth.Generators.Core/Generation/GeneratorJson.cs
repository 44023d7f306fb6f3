using System.Text.Json;
using System.Text.Json.Serialization;

namespace EhrSynth.Generators.Generation;

/// <summary>The JSON settings of checkpoint manifests and options files.</summary>
public static class GeneratorJson
{
    /// <summary>camelCase names, enums as strings, indented.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
