using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Operations;

/// <summary>Operator endpoints: start the platform self-test or the Durable floor, and follow any orchestration by its id.</summary>
public sealed class SelfTestEndpoints(PublicUrls urls)
{
    private const string StartRoute = "ops/selftest";
    private const string FloorRoute = "ops/durable-floor";

    [Function("StartPlatformSelfTest")]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Start the platform self-test: probe every dependency, pause on a durable timer (pauseSeconds, 0-300), probe again.",
        Request = typeof(SelfTestRequest), Response = typeof(SelfTestAccepted), SuccessStatus = 202, Tag = "Operations")]
    public async Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = StartRoute)] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        // The body is optional: no body means an immediate second pass.
        var request = req.HasBody() ? await req.ReadJsonAsync<SelfTestRequest>(ct) : new SelfTestRequest();
        if (request.PauseSeconds is < 0 or > SelfTestRequest.MaxPauseSeconds)
        {
            throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "pauseSeconds is out of range.",
                $"Use 0 to {SelfTestRequest.MaxPauseSeconds}.");
        }

        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(PlatformSelfTest.Name, request, ct);
        var statusUrl = StatusUrl(req, instanceId, StartRoute);
        return new AcceptedResult(statusUrl, new SelfTestAccepted(instanceId, statusUrl));
    }

    [Function("StartDurableFloor")]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Start the Durable floor: one orchestration calling one activity that echoes the token, nothing else (what benchmarks measure workflows against).",
        Response = typeof(SelfTestAccepted), SuccessStatus = 202, Tag = "Operations")]
    public async Task<IActionResult> StartFloor(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FloorRoute)] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(DurableFloor.Name, token, ct);
        var statusUrl = StatusUrl(req, instanceId, FloorRoute);
        return new AcceptedResult(statusUrl, new SelfTestAccepted(instanceId, statusUrl));
    }

    [Function("GetOrchestrationStatus")]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Follow an orchestration (the self-test or any other) by its instance id: status, output, failure.",
        Response = typeof(OrchestrationStatusResponse), Tag = "Operations")]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/orchestrations/{instanceId}")] HttpRequest req,
        string instanceId,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct)
            ?? throw new DomainException(ErrorKind.NotFound, ErrorCodes.NotFound, "No orchestration has this id.");
        return new OkObjectResult(new OrchestrationStatusResponse(
            instance.InstanceId,
            instance.Name,
            instance.RuntimeStatus.ToString(),
            instance.CreatedAt,
            instance.LastUpdatedAt,
            OrchestrationPayload.Read(instance.SerializedOutput),
            OrchestrationPayload.Read(instance.SerializedCustomStatus),
            instance.FailureDetails?.ErrorMessage));
    }

    // The configured public base URL (never the request's Host header) and the route prefix the run was started under.
    private string StatusUrl(HttpRequest req, string instanceId, string route)
    {
        var path = req.Path.Value ?? "/api/" + route;
        var prefix = path.EndsWith(route, StringComparison.OrdinalIgnoreCase) ? path[..^route.Length] : "/api/";
        return urls.For($"{prefix}ops/orchestrations/{Uri.EscapeDataString(instanceId)}");
    }
}

/// <summary>An orchestration's stored output or custom status as JSON for the status answer.</summary>
public static class OrchestrationPayload
{
    /// <summary>
    /// The JSON as stored; text that is not JSON (a failed orchestration's output can be the failure's plain message)
    /// as a JSON string, so following a failed run answers 200 with its status rather than 500.
    /// </summary>
    public static JsonElement? Read(string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return null;
        try
        {
            using var document = JsonDocument.Parse(stored);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(stored);
        }
    }
}
