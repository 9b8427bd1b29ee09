using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ndhm.Core.Json;

/// <summary>
/// The one JSON convention of the platform: camelCase, enums as strings, nulls left out, numbers strict.
/// HTTP bodies, queue messages, Cosmos documents and orchestration payloads all use it.
/// </summary>
public static class NdhmJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
