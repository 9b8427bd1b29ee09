using System.Text.Json;
using System.Text.Json.Serialization;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.Registry.Common;

/// <summary>Ids travel as their plain string form in HTTP bodies and Cosmos documents.</summary>
public sealed class FacilityIdJsonConverter : JsonConverter<FacilityId>
{
    public override FacilityId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FacilityId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("Not a facility id.");

    public override void Write(Utf8JsonWriter writer, FacilityId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}

public sealed class HprIdJsonConverter : JsonConverter<HprId>
{
    public override HprId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        HprId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("Not an HPR id.");

    public override void Write(Utf8JsonWriter writer, HprId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
