using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Verification;

namespace Ndhm.HealthId.PartnerAuth;

/// <summary>
/// Patient authentication for partners (ABDM <c>users/auth/*</c>, <c>patients/find</c>): a HIP or HIU proves that
/// the person in front of it holds an ABHA address. Every call is audited on the patient's chain with the partner
/// named (or on the partner's chain when no patient matched).
/// </summary>
public sealed class PartnerAuthService(AbhaAccountLookup lookup, IHealthIdAuditLog audit)
{
    public const string FetchModesAction = "partner-auth.fetch-modes";

    /// <summary>The modes a partner may use for this patient and purpose (users/auth/fetch-modes).</summary>
    public async Task<IReadOnlyList<AuthMode>> FetchModesAsync(string patientId, AuthPurpose purpose, AuthRequester requester, string requestId,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var account = await FindActiveAsync(patientId, FetchModesAction, requester, requestId, ct).ConfigureAwait(false);
        var modes = ModesFor(account, purpose);
        await audit.RecordAsync(FetchModesAction, requester.PartnerId, [RoleOf(requester)], account.AbhaNumber.Digits, "OK", requestId, ct)
            .ConfigureAwait(false);
        return modes;
    }

    /// <summary>
    /// MOBILE_OTP when the ABHA has a verified mobile to send it to; DEMOGRAPHICS when the ABHA holds a name, gender
    /// and year of birth to compare with; DIRECT always (the patient approves in their app). AADHAAR_OTP never: the
    /// platform keeps only a keyed hash of the Aadhaar number.
    /// </summary>
    public static IReadOnlyList<AuthMode> ModesFor(AbhaAccount account, AuthPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(account);
        _ = purpose; // every purpose is served by the same modes today; the parameter keeps ABDM's question whole
        var modes = new List<AuthMode>();
        if (account.MobileVerified && account.Mobile is not null) modes.Add(AuthMode.MobileOtp);
        if (account.Name is not null && account.Gender is not null && account.DateOfBirth is not null) modes.Add(AuthMode.Demographics);
        modes.Add(AuthMode.Direct);
        return modes;
    }

    private async Task<AbhaAccount> FindActiveAsync(string patientId, string action, AuthRequester requester, string requestId, CancellationToken ct)
    {
        AbhaAccount? account = null;
        if (!string.IsNullOrWhiteSpace(patientId))
        {
            try
            {
                account = (await lookup.FindAsync(patientId, ct).ConfigureAwait(false))?.Value;
            }
            catch (DomainException e) when (e.Kind == ErrorKind.Validation)
            {
                // A malformed address or number names nobody: the same answer as an unknown one.
            }
        }

        if (account is null || account.Status != AbhaStatus.Active)
        {
            var subject = account?.AbhaNumber.Digits ?? "unknown";
            await audit.RecordAsync(action, requester.PartnerId, [RoleOf(requester)], subject, "NOT_FOUND", requestId, ct).ConfigureAwait(false);
            throw PartnerAuthErrors.NotFound();
        }

        return account;
    }

    private static string RoleOf(AuthRequester requester) => requester.Type == RequesterType.Hip ? "HIP" : "HIU";
}
