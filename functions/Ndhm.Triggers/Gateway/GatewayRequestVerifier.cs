using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Core.Security;
using Ndhm.Gateway;
using Ndhm.Gateway.Inbound;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Gateway;

/// <summary>A partner request that passed the gateway checks.</summary>
/// <param name="HipId">The facility named in X-HIP-ID (one of the caller's, verified), or null when none was named.</param>
public sealed record InboundRequest(CallerIdentity Caller, string RequestId, DateTimeOffset Timestamp, string? HipId = null);

/// <summary>
/// The checks every partner-facing (ABDM gateway style) endpoint makes after the HTTP gate has authenticated the
/// caller and checked its role: REQUEST-ID is a UUID, TIMESTAMP is fresh, an X-HIP-ID names one of the caller's
/// facilities that is verified now, and a repeated REQUEST-ID from the same partner is the same request (same stored
/// answer, the work is not done again).
/// </summary>
public sealed class GatewayRequestVerifier(IRequestLog log, HipFacilities hipFacilities, TimeProvider time)
{
    public async Task<InboundRequest> VerifyAsync(HttpRequest req, CancellationToken ct)
    {
        var caller = req.Caller();
        var requestId = GatewayRequestRules.ValidateRequestId(req.Headers[RequestIds.Header].ToString());
        var timestamp = GatewayRequestRules.ValidateTimestamp(req.Headers["TIMESTAMP"].ToString(), time.GetUtcNow());
        var hipId = await hipFacilities.EnsureCallerMayActAsAsync(caller, req.Headers[HipFacilities.Header].ToString(), ct);
        return new InboundRequest(caller, requestId.ToString(), timestamp, hipId);
    }

    /// <summary>
    /// Runs <paramref name="work"/> for a partner + REQUEST-ID until it has completed once. The answer (202 and its
    /// body) is stored before the work runs and the record marked completed after, so a repeat of a finished request
    /// gets the same answer and no second side effect, while a repeat of one whose process died mid-way runs the work
    /// again: <paramref name="work"/> must therefore be idempotent (callbacks are: their delivery id derives from the
    /// REQUEST-ID). A REQUEST-ID reused for a different request is refused (409 REQUEST_ID_REUSED).
    /// </summary>
    public async Task<IActionResult> AcceptOnceAsync<TRequest>(InboundRequest inbound, string operation, TRequest request,
        object accepted, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        var fingerprint = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, NdhmJson.Options)));
        var body = JsonSerializer.Serialize(accepted, NdhmJson.Options);
        var record = new RequestRecord(inbound.Caller.Subject, inbound.RequestId, operation, fingerprint, StatusCodes.Status202Accepted, body,
            time.GetUtcNow(), Completed: false);
        var existing = await log.TryAddAsync(record, ct);
        switch (Idempotency.Decide(existing, operation, fingerprint))
        {
            case RepeatDecision.Conflict:
                throw new DomainException(ErrorKind.Conflict, GatewayErrors.RequestIdReused, "This REQUEST-ID was already used for another request.",
                    "Use a new REQUEST-ID for every new request; repeat one only to retry the same request.");
            case RepeatDecision.Replay:
                return new ContentResult { StatusCode = existing!.Status, Content = existing.ResponseBody, ContentType = "application/json" };
            case RepeatDecision.Resume:
                record = existing!;
                break;
        }

        await work(ct);
        await log.MarkCompletedAsync(record, ct);
        return new ContentResult { StatusCode = record.Status, Content = record.ResponseBody, ContentType = "application/json" };
    }
}
