using System.Text.Json.Serialization;

namespace Ndhm.Triggers.Operations;

// Orchestration payloads are written by the Durable Task data converter (System.Text.Json with default options),
// not by NdhmJson; explicit names keep them camelCase like every other platform payload.

/// <summary>Body of <c>POST /api/ops/selftest</c> and the orchestration's input.</summary>
public sealed record SelfTestRequest([property: JsonPropertyName("pauseSeconds")] int PauseSeconds = 0)
{
    public const int MaxPauseSeconds = 300;
}

/// <summary>One probe's answer in one pass.</summary>
public sealed record ProbeOutcome(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("healthy")] bool Healthy,
    [property: JsonPropertyName("elapsedMs")] long ElapsedMs,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>The self-test's result: every probe before and after the pause.</summary>
public sealed record SelfTestReport(
    [property: JsonPropertyName("startedAt")] DateTime StartedAt,
    [property: JsonPropertyName("finishedAt")] DateTime FinishedAt,
    [property: JsonPropertyName("pauseSeconds")] int PauseSeconds,
    [property: JsonPropertyName("healthy")] bool Healthy,
    [property: JsonPropertyName("firstPass")] IReadOnlyList<ProbeOutcome> FirstPass,
    [property: JsonPropertyName("secondPass")] IReadOnlyList<ProbeOutcome> SecondPass);

/// <summary>Answer of <c>GET /api/ops/orchestrations/{instanceId}</c>.</summary>
public sealed record OrchestrationStatusResponse(
    string InstanceId,
    string Name,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    System.Text.Json.JsonElement? Output,
    System.Text.Json.JsonElement? CustomStatus,
    string? Failure);

/// <summary>Answer of <c>POST /api/ops/selftest</c>: where to follow the run.</summary>
public sealed record SelfTestAccepted(string InstanceId, string StatusUrl);
