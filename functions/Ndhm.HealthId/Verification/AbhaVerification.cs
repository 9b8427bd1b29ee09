using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;

namespace Ndhm.HealthId.Verification;

/// <summary>
/// A partner's verification lookup and its audit entry. Costs one point read in <c>health-ids</c> by number (the
/// account) and by address (the claim's lookup view), plus one audit write, whatever the outcome.
/// </summary>
public sealed class AbhaVerification(AbhaAccountLookup lookup, IHealthIdAuditLog audit)
{
    public const string Action = "abha.verify";

    public async Task<AbhaVerificationResult> VerifyAsync(string numberOrAddress, CallerIdentity caller, string? requestId,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(numberOrAddress);
        ArgumentNullException.ThrowIfNull(caller);
        AbhaLookupView? view;
        try
        {
            view = await lookup.FindViewAsync(numberOrAddress, ct).ConfigureAwait(false);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Validation)
        {
            await audit.RecordAsync(Action, caller.Subject, caller.Roles, "invalid", e.Code, requestId, ct).ConfigureAwait(false);
            throw;
        }

        if (view is null)
        {
            await audit.RecordAsync(Action, caller.Subject, caller.Roles, numberOrAddress.Trim().ToLowerInvariant(), "NOT_FOUND",
                requestId, ct).ConfigureAwait(false);
            throw HealthIdErrors.AbhaNotFound();
        }

        var status = view.Status switch
        {
            AbhaStatus.Active => "ACTIVE",
            AbhaStatus.Deactivated => "DEACTIVATED",
            _ => "DELETED",
        };
        await audit.RecordAsync(Action, caller.Subject, caller.Roles, view.AbhaNumber.Digits, status, requestId, ct).ConfigureAwait(false);
        if (view.Status == AbhaStatus.Deleted)
            throw HealthIdErrors.AbhaDeleted();
        // A deactivated ABHA's view holds its status only: it must not be matched to a person while suspended.
        return new AbhaVerificationResult(view.AbhaNumber.Formatted, view.Name, view.Gender?.ToString(), view.YearOfBirth, status,
            view.PreferredAbhaAddress?.Value);
    }
}
