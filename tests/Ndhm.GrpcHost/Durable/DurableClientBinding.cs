using System.Text.Json;

namespace Ndhm.GrpcHost.Durable;

/// <summary>
/// What a <c>[DurableClient]</c> input receives from the Durable extension: a JSON string naming the task hub and the
/// host's gRPC endpoint (<c>rpcBaseUrl</c>) where the worker's <c>DurableTaskClient</c> calls
/// <c>TaskHubSidecarService</c>. The field names are those the worker extension's DurableTaskClientConverter reads
/// (1.21.1). Null when the harness runs without a task hub (no AzureWebJobsStorage).
/// </summary>
public sealed record DurableClientBinding(string? Json)
{
    public static DurableClientBinding For(string hubName, Uri rpcBaseUrl, Uri httpBaseUrl, int maxGrpcMessageSize) => new(JsonSerializer.Serialize(new
    {
        taskHubName = hubName,
        connectionName = (string?)null,
        rpcBaseUrl = rpcBaseUrl.ToString(),
        // The host's webhook base (the harness serves no Durable HTTP API; only CreateHttpManagementPayload reads it).
        httpBaseUrl = httpBaseUrl.ToString(),
        requiredQueryStringParameters = "",
        maxGrpcMessageSizeInBytes = maxGrpcMessageSize,
    }));
}
