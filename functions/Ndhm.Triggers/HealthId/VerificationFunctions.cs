using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Identity;
using Ndhm.Infrastructure.HealthId;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Sandbox;

namespace Ndhm.Triggers.HealthId;

public sealed class VerifyAbha(AbhaVerification verification)
{
    [Function(nameof(VerifyAbha))]
    [RequireRoles(Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.HealthWorker, Roles.Pharmacy, Roles.Teleconsult)]
    [OpenApiOperation("Partner verification: resolve an ABHA number or address to minimal demographics (every lookup audited).",
        Response = typeof(AbhaVerificationResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/verification/abha/{numberOrAddress}")] HttpRequest req,
        string numberOrAddress, CancellationToken ct)
    {
        var key = Uri.UnescapeDataString(numberOrAddress ?? "");
        return new OkObjectResult(await verification.VerifyAsync(key, req.Caller(), RequestIds.Get(req.HttpContext), ct));
    }
}

/// <summary>
/// A partner's verification lookup and its audit entry. Costs one point read in <c>health-ids</c> by number (the
/// account) and by address (the claim's lookup view), plus one audit write, whatever the outcome.
/// </summary>
public sealed class AbhaVerification(AbhaAccountLookup lookup, HealthIdAuditLog audit)
{
    public async Task<AbhaVerificationResponse> VerifyAsync(string numberOrAddress, CallerIdentity caller, string? requestId,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        AbhaLookupView? view;
        try
        {
            view = await lookup.FindViewAsync(numberOrAddress, ct);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Validation)
        {
            await audit.RecordAsync("abha.verify", caller.Subject, caller.Roles, "invalid", e.Code, requestId, ct);
            throw;
        }

        if (view is null)
        {
            await audit.RecordAsync("abha.verify", caller.Subject, caller.Roles, numberOrAddress.Trim().ToLowerInvariant(), "NOT_FOUND",
                requestId, ct);
            throw AbhaAccountLookup.NotFound();
        }

        var status = view.Status switch
        {
            AbhaStatus.Active => "ACTIVE",
            AbhaStatus.Deactivated => "DEACTIVATED",
            _ => "DELETED",
        };
        await audit.RecordAsync("abha.verify", caller.Subject, caller.Roles, view.AbhaNumber.Digits, status, requestId, ct);
        if (view.Status == AbhaStatus.Deleted)
            throw new DomainException(ErrorKind.Gone, HealthIdErrors.AccountDeleted, "ABHA deleted", "This ABHA number is retired.");
        // A deactivated ABHA's view holds its status only: it must not be matched to a person while suspended.
        return new AbhaVerificationResponse(view.AbhaNumber.Formatted, view.Name, view.Gender?.ToString(), view.YearOfBirth, status,
            view.PreferredAbhaAddress?.Value);
    }
}

public sealed class GetSandboxOtpOutbox(SandboxEnvironment sandbox, IServiceProvider services)
{
    [Function(nameof(GetSandboxOtpOutbox))]
    [PublicEndpoint("Exists only in the local sandbox and only for loopback callers; 404 everywhere else.")]
    [OpenApiOperation("Sandbox only: the OTPs 'sent' to a mobile, newest first.", Response = typeof(OtpOutboxResponse), Tag = "Sandbox")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sandbox/otp-outbox")] HttpRequest req,
        CancellationToken ct)
    {
        sandbox.EnsureLocalSandbox(req);
        var outbox = services.GetService(typeof(SandboxOtpOutbox)) as SandboxOtpOutbox
            ?? throw new DomainException(ErrorKind.NotFound, ErrorCodes.NotFound, "Not found.");
        var mobile = MobileNumber.Parse(req.Query["mobile"].FirstOrDefault());
        var messages = await outbox.ReadAsync(mobile, 20, ct);
        return new OkObjectResult(new OtpOutboxResponse(mobile.Digits,
            messages.Select(m => new OtpOutboxEntry(m.TxnId, m.Otp, m.Purpose.ToString(), m.SentAt, m.ExpiresAt)).ToList()));
    }
}
