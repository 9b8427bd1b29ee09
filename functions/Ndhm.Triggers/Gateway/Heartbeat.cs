using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Json;
using Ndhm.Core.Security;
using Ndhm.Gateway.Callbacks;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;
using Ndhm.Core.Abdm;

namespace Ndhm.Triggers.Gateway;

public sealed record HeartbeatRequest(string? Message);

public sealed record GatewayAccepted(string RequestId, string Status);

/// <summary>The callback body: ABDM's shape (own requestId and timestamp, <c>response.requestId</c> answering the request).</summary>
public sealed record OnHeartbeat(string RequestId, string Timestamp, string Status, string? Message, GatewayResponseRef Response);

public sealed record GatewayResponseRef(string RequestId);

/// <summary>
/// The simplest complete gateway exchange, for partners to test their integration: the request is accepted with
/// 202, then answered by a callback to the partner's bridge at <c>/v1/gateway/on-heartbeat</c>.
/// </summary>
public sealed class Heartbeat(GatewayRequestVerifier verifier, ICallbackDispatcher callbacks, TimeProvider time)
{
    public const string CallbackPath = "/v1/gateway/on-heartbeat";

    [Function(nameof(Heartbeat))]
    [RequireRoles(Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.Analytics)]
    [OpenApiOperation("Gateway heartbeat: 202 now, callback /v1/gateway/on-heartbeat to the partner's bridge later.",
        Request = typeof(HeartbeatRequest), Response = typeof(GatewayAccepted), SuccessStatus = 202, Tag = "Gateway")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/gateway/heartbeat")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<HeartbeatRequest>(ct);
        var message = body.Message is { Length: > 256 } m ? m[..256] : body.Message;
        return await verifier.AcceptOnceAsync(inbound, nameof(Heartbeat), body, new GatewayAccepted(inbound.RequestId, "ACCEPTED"), async token =>
        {
            var callback = new OnHeartbeat(Guid.NewGuid().ToString(),
                AbdmTimestamp.Of(time.GetUtcNow()),
                "UP", message, new GatewayResponseRef(inbound.RequestId));
            await callbacks.EnqueueAsync(inbound.Caller.Subject, CallbackPath, JsonSerializer.Serialize(callback, NdhmJson.Options),
                inbound.RequestId, PartnerHeaders(inbound), token);
        }, ct);
    }

    /// <summary>
    /// X-HIP-ID / X-HIU-ID name the partner in the role it acts in: the facility the request named, else the partner.
    /// </summary>
    public static IReadOnlyDictionary<string, string> PartnerHeaders(InboundRequest inbound)
    {
        var headers = new Dictionary<string, string>();
        if (inbound.Caller.IsInRole(Roles.Hip)) headers[HipFacilities.Header] = inbound.HipId ?? inbound.Caller.Subject;
        if (inbound.Caller.IsInRole(Roles.Hiu)) headers["X-HIU-ID"] = inbound.Caller.Subject;
        return headers;
    }
}
