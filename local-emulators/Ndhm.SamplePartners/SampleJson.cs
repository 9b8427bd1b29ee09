using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ndhm.SamplePartners;

/// <summary>ABDM's JSON: camelCase, nulls left out.</summary>
public static class SampleJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };
}
