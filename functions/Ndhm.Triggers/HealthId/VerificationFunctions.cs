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

public sealed class VerifyAbha(AbhaAccountLookup lookup, HealthIdAuditLog audit)
{
    [Function(nameof(VerifyAbha))]
    [RequireRoles(Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.HealthWorker, Roles.Pharmacy, Roles.Teleconsult)]
    [OpenApiOperation("Partner verification: resolve an ABHA number or address to minimal demographics (every lookup audited).",
        Response = typeof(AbhaVerificationResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/verification/abha/{numberOrAddress}")] HttpRequest req,
        string numberOrAddress, CancellationToken ct)
    {
        var caller = req.Caller();
        var requestId = RequestIds.Get(req.HttpContext);
        var key = Uri.UnescapeDataString(numberOrAddress ?? "");
        Stored<AbhaAccount>? stored;
        try
        {
            stored = await lookup.FindAsync(key, ct);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Validation)
        {
            await audit.RecordAsync("abha.verify", caller.Subject, caller.Roles, "invalid", e.Code, requestId, ct);
            throw;
        }

        if (stored is null)
        {
            await audit.RecordAsync("abha.verify", caller.Subject, caller.Roles, key.ToLowerInvariant(), "NOT_FOUND", requestId, ct);
            throw AbhaAccountLookup.NotFound();
        }

        var account = stored.Document;
        await audit.RecordAsync("abha.verify", caller.Subject, caller.Roles, account.AbhaNumber.Digits,
            account.Status.ToString().ToUpperInvariant(), requestId, ct);
        if (account.Status == AbhaStatus.Deleted)
            throw new DomainException(ErrorKind.Gone, HealthIdErrors.AccountDeleted, "ABHA deleted", "This ABHA number is retired.");
        var view = account.ToVerificationView();
        // A deactivated ABHA answers with its status only: it must not be matched to a person while suspended.
        return account.Status == AbhaStatus.Deactivated
            ? new OkObjectResult(new AbhaVerificationResponse(view.AbhaNumber.Formatted, null, null, null, "DEACTIVATED", null))
            : new OkObjectResult(new AbhaVerificationResponse(view.AbhaNumber.Formatted, view.Name, view.Gender?.ToString(),
                view.YearOfBirth, "ACTIVE", account.PreferredAbhaAddress?.Value));
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
