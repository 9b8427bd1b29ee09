using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Ndhm.Core.Errors;
using Ndhm.Core.Partners;
using Ndhm.Core.Security;
using Ndhm.Core.Abdm;
using Ndhm.Gateway.Abdm;
using Ndhm.Gateway.Inbound;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Abdm;

/// <summary>An ABDM request that passed the envelope checks, with its body.</summary>
/// <param name="HipId">The facility named in X-HIP-ID (one of the caller's, verified now), or null.</param>
/// <param name="HiuId">The HIU named in X-HIU-ID (the caller or one of its facilities), or null.</param>
public sealed record AbdmInbound<TBody>(CallerIdentity Caller, string RequestId, DateTimeOffset Timestamp, TBody Body,
    string? HipId, string? HiuId)
{
    /// <summary>
    /// Where the answer goes: the caller's bridge, naming it as the HIP (X-HIP-ID: the facility it acted as, else
    /// itself) when it called as a HIP, else as the HIU.
    /// </summary>
    public AbdmParty Requester =>
        HipId is not null || (HiuId is null && Caller.IsInRole(Roles.Hip))
            ? AbdmParty.Hip(Caller.Subject, HipId ?? Caller.Subject)
            : AbdmParty.Hiu(Caller.Subject, HiuId ?? Caller.Subject);
}

/// <summary>
/// The inbound half of every ABDM v0.5 endpoint, after the HTTP gate has authenticated the caller and checked its
/// role: reads the JSON body, checks the envelope (<see cref="AbdmRequestRules"/>: requestId/timestamp in body or
/// headers, X-CM-ID), X-HIP-ID (<see cref="HipFacilities"/>) and X-HIU-ID, then runs the work once per partner +
/// requestId and answers <c>202 Accepted</c> with an empty body as ABDM does. A repeat of a finished request gets
/// 202 again and nothing is done; a repeat of one whose process died mid-way runs the work again, so the work must
/// be idempotent (<see cref="AbdmCallbacks"/> replies are: one delivery per request and path). The same requestId
/// with another body or on another endpoint is refused with ABDM-1064.
/// </summary>
public sealed class AbdmRequestVerifier(IRequestLog log, HipFacilities hipFacilities, IPartnerDirectory partners, AbdmSettings settings,
    TimeProvider time)
{
    public Task<IActionResult> AcceptAsync<TBody>(HttpRequest req, string operation, Func<AbdmInbound<TBody>, CancellationToken, Task> work,
        CancellationToken ct) where TBody : class, IAbdmRequest
    {
        ArgumentNullException.ThrowIfNull(work);
        return AcceptAsync<TBody, bool>(req, operation, _ => true, (inbound, _, token) => work(inbound, token), ct);
    }

    /// <summary>
    /// <see cref="AcceptAsync{TBody}"/> with a synchronous check of the payload first: <paramref name="validate"/>
    /// turns the body into what the work needs or throws, and its refusal is the HTTP answer (400 in ABDM's shape,
    /// nothing recorded, so the partner may fix the body and send it again under the same requestId). Failures the
    /// partner can only learn by the platform looking something up (an unknown patient) go in the callback instead.
    /// </summary>
    public Task<IActionResult> AcceptAsync<TBody, TValid>(HttpRequest req, string operation, Func<AbdmInbound<TBody>, TValid> validate,
        Func<AbdmInbound<TBody>, TValid, CancellationToken, Task> work, CancellationToken ct) where TBody : class, IAbdmRequest =>
        AcceptAsync(req, operation, validate, work, StatusCodes.Status202Accepted, ct);

    /// <summary>
    /// As above, answering <paramref name="successStatus"/> (first time and on replay) instead of 202: ABDM answers
    /// <c>health-information/notify</c> with 204, as there is no callback to wait for.
    /// </summary>
    public async Task<IActionResult> AcceptAsync<TBody, TValid>(HttpRequest req, string operation, Func<AbdmInbound<TBody>, TValid> validate,
        Func<AbdmInbound<TBody>, TValid, CancellationToken, Task> work, int successStatus, CancellationToken ct) where TBody : class, IAbdmRequest
    {
        ArgumentNullException.ThrowIfNull(req);
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(work);
        var inbound = await VerifyAsync<TBody>(req, ct);
        var valid = validate(inbound);
        var fingerprint = AbdmRequestRules.Fingerprint(inbound.Body);
        var record = new RequestRecord(inbound.Caller.Subject, inbound.RequestId, operation, fingerprint, successStatus, "",
            time.GetUtcNow(), Completed: false);
        var existing = await log.TryAddAsync(record, ct);
        switch (Idempotency.Decide(existing, operation, fingerprint))
        {
            case RepeatDecision.Conflict:
                throw AbdmRequestRules.DuplicateRequestId();
            case RepeatDecision.Replay:
                return new StatusCodeResult(successStatus);
            case RepeatDecision.Resume:
                record = existing!;
                break;
        }

        await work(inbound, valid, ct);
        await log.MarkCompletedAsync(record, ct);
        return new StatusCodeResult(successStatus);
    }

    /// <summary>The checks alone, for an endpoint that answers at once instead of with 202 + callback.</summary>
    public async Task<AbdmInbound<TBody>> VerifyAsync<TBody>(HttpRequest req, CancellationToken ct) where TBody : class, IAbdmRequest
    {
        ArgumentNullException.ThrowIfNull(req);
        var caller = req.Caller();
        // Headers first: a request for another consent manager is refused before its body is read.
        AbdmRequestRules.ValidateCmId(req.Headers[AbdmRequestRules.CmIdHeader].ToString(), settings.CmId);
        var body = await req.ReadJsonAsync<TBody>(ct);
        var envelope = AbdmRequestRules.Resolve(req.Headers[RequestIds.Header].ToString(), body.RequestId,
            req.Headers["TIMESTAMP"].ToString(), body.Timestamp, req.Headers[AbdmRequestRules.CmIdHeader].ToString(), settings.CmId,
            time.GetUtcNow());
        var hipId = await EnsureHipAsync(caller, req.Headers[HipFacilities.Header].ToString(), ct);
        var hiuId = await EnsureHiuAsync(caller, req.Headers[AbdmRequestRules.HiuIdHeader].ToString(), ct);
        return new AbdmInbound<TBody>(caller, envelope.RequestId, envelope.Timestamp, body, hipId, hiuId);
    }

    private async Task<string?> EnsureHipAsync(CallerIdentity caller, string? hipId, CancellationToken ct)
    {
        try
        {
            return await hipFacilities.EnsureCallerMayActAsAsync(caller, hipId, ct);
        }
        catch (DomainException e) when (e.Kind is ErrorKind.Validation or ErrorKind.Forbidden)
        {
            throw AbdmErrors.Error(e.Kind, AbdmErrors.InvalidHip, e.Code, e.Title, e.Detail);
        }
    }

    /// <summary>X-HIU-ID names the caller itself or one of the facilities it was registered with; only an HIU sends it.</summary>
    private async Task<string?> EnsureHiuAsync(CallerIdentity caller, string? hiuId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(hiuId)) return null;
        var id = hiuId.Trim();
        if (!caller.IsInRole(Roles.Hiu))
        {
            throw AbdmErrors.Error(ErrorKind.Forbidden, AbdmErrors.InvalidHiu, ErrorCodes.Forbidden,
                $"Only HIU partners may send {AbdmRequestRules.HiuIdHeader}.");
        }

        if (id == caller.Subject) return id;
        var partner = await partners.FindAsync(caller.Subject, ct);
        return partner?.Facilities is { } served && served.Contains(id)
            ? id
            : throw AbdmErrors.Error(ErrorKind.Forbidden, AbdmErrors.InvalidHiu, Ndhm.Gateway.GatewayErrors.FacilityNotServed,
                $"{AbdmRequestRules.HiuIdHeader} is not the caller or one of its facilities.");
    }
}
