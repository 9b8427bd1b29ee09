using System.Text.Json.Nodes;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;

namespace Ndhm.GrpcHost;

/// <summary>A function the worker indexed and loaded, with its trigger binding as the worker declared it.</summary>
public sealed record LoadedFunction(string Id, RpcFunctionMetadata Metadata, string TriggerName, string TriggerType, JsonObject Trigger)
{
    public string Name => Metadata.Name;

    public static LoadedFunction From(string id, RpcFunctionMetadata metadata)
    {
        foreach (var raw in metadata.RawBindings)
        {
            if (JsonNode.Parse(raw) is JsonObject binding
                && binding["type"]?.GetValue<string>() is { } type
                && type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            {
                return new LoadedFunction(id, metadata, binding["name"]?.GetValue<string>() ?? "", type, binding);
            }
        }

        throw new InvalidOperationException($"Function {metadata.Name} declares no trigger binding.");
    }

    /// <summary>The names of the function's <c>durableClient</c> input bindings (<c>[DurableClient]</c> parameters).</summary>
    public IReadOnlyList<string> DurableClientBindings { get; } = Metadata.RawBindings
        .Select(raw => JsonNode.Parse(raw) as JsonObject)
        .Where(b => b?["type"]?.GetValue<string>() is { } type && type.Equals("durableClient", StringComparison.OrdinalIgnoreCase))
        .Select(b => b!["name"]?.GetValue<string>() ?? "")
        .ToList();

    public bool IsHttp => TriggerType.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase);

    public string[] HttpMethods =>
        Trigger["methods"] is JsonArray { Count: > 0 } methods
            ? methods.Select(m => m!.GetValue<string>().ToUpperInvariant()).ToArray()
            : ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"];

    public string HttpRoute => Trigger["route"]?.GetValue<string>() is { Length: > 0 } route ? route : Name;
}
