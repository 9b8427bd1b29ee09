using SdkJson = Microsoft.DurableTask.Converters.JsonDataConverter;

namespace Ndhm.LocalHost.Durable;

/// <summary>
/// DTFx's side of serialization, delegating to the Durable Task SDK's System.Text.Json converter. Without it
/// TaskHubClient writes inputs and events with Newtonsoft (and <c>$type</c> metadata) that the SDK side and our
/// System.Text.Json types cannot read.
/// </summary>
internal sealed class SystemTextJsonDataConverter : DurableTask.Core.Serializing.DataConverter
{
    public static SystemTextJsonDataConverter Instance { get; } = new();

    public override string? Serialize(object? value) => SdkJson.Default.Serialize(value);

    public override string? Serialize(object? value, bool formatted) => SdkJson.Default.Serialize(value);

    public override object? Deserialize(string? data, Type objectType) => SdkJson.Default.Deserialize(data, objectType);
}
