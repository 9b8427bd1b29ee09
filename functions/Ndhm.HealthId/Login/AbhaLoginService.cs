using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;

namespace Ndhm.HealthId.Login;

/// <summary>
/// Patient login: an OTP to the account's verified mobile (found by number, address or mobile), its verification,
/// the choice among several ABHAs on one mobile, and the refresh of patient tokens. A deleted ABHA never logs in.
/// </summary>
public sealed class AbhaLoginService(AbhaAccountLookup lookup, AbhaAccountService accounts, OtpService otp, IIdentityHasher hasher,
    PatientSessions sessions, HealthIdAudit audit)
{
    public const string LoginAction = "login";

    /// <summary>
    /// Sends (or with <paramref name="resendTxnId"/> resends) the login OTP. <paramref name="loginHint"/>: mobile (to
    /// that mobile, when some live ABHA uses it), abha-number or abha-address (to the account's verified mobile).
    /// </summary>
    public async Task<OtpIssued> RequestOtpAsync(string loginHint, string loginId, string? resendTxnId, CancellationToken ct)
    {
        switch (loginHint.ToLowerInvariant())
        {
            case "mobile":
                var mobile = MobileNumber.Parse(loginId);
                if (!string.IsNullOrWhiteSpace(resendTxnId))
                    return await otp.ResendAsync(resendTxnId, OtpPurpose.Login, mobile, ct).ConfigureAwait(false);
                var linked = await lookup.FindByMobileHashAsync(await hasher.HashMobileAsync(mobile, ct).ConfigureAwait(false), ct)
                    .ConfigureAwait(false);
                if (linked.Count == 0) throw HealthIdErrors.AbhaNotFound();
                return await otp.RequestAsync(OtpPurpose.Login, mobile, null, null, ct).ConfigureAwait(false);
            case "abha-number" or "abha-address":
                var stored = await lookup.FindAsync(loginId, ct).ConfigureAwait(false) ?? throw HealthIdErrors.AbhaNotFound();
                return await accounts.SendOtpToVerifiedMobileAsync(stored.Value, OtpPurpose.Login, resendTxnId, ct).ConfigureAwait(false);
            default:
                throw HealthIdErrors.InvalidRequest("loginHint must be abha-number, abha-address or mobile.");
        }
    }

    /// <summary>
    /// Verifies a login OTP. An OTP sent for one account logs in to it; one sent to a mobile logs in to its only
    /// ABHA, or answers the ABHAs on that mobile and a user token to pick one with.
    /// </summary>
    public async Task<LoginOutcome> VerifyOtpAsync(string txnId, string otpValue, CancellationToken ct)
    {
        var txn = await otp.VerifyAsync(txnId, OtpPurpose.Login, otpValue, ct).ConfigureAwait(false);
        if (txn.AbhaNumber is { } number)
            return await LoginAsync(number, ct).ConfigureAwait(false);

        var linked = await lookup.FindByMobileHashAsync(txn.DestinationHash, ct).ConfigureAwait(false);
        if (linked.Count == 1)
            return await LoginAsync(linked[0], ct).ConfigureAwait(false);
        var found = new List<AbhaAccount>();
        foreach (var n in linked)
        {
            if (await lookup.FindAsync(n, ct).ConfigureAwait(false) is { } s)
                found.Add(s.Value);
        }

        return LoginOutcome.ChooseAccount(found, await sessions.IssueUserTokenAsync(txn.DestinationHash, ct).ConfigureAwait(false));
    }

    /// <summary>Logs in to one of the ABHAs on the mobile a user token proves (any other is ABHA not found).</summary>
    public async Task<LoginOutcome> SelectAccountAsync(string? userToken, string? abhaNumber, CancellationToken ct)
    {
        var mobileHash = await sessions.ValidateUserTokenAsync(userToken, ct).ConfigureAwait(false);
        var number = AbhaNumber.Parse(HealthIdErrors.Required(abhaNumber, "abhaNumber"));
        var stored = await lookup.FindAsync(number, ct).ConfigureAwait(false);
        if (stored is null || !string.Equals(stored.Value.MobileHash, mobileHash, StringComparison.Ordinal))
            throw HealthIdErrors.AbhaNotFound();
        return await LoginAsync(number, ct).ConfigureAwait(false);
    }

    /// <summary>New patient tokens for a refresh token, refused (REFRESH_TOKEN_INVALID) once its ABHA is deleted.</summary>
    public async Task<PatientSessionTokens> RefreshAsync(string? refreshToken, CancellationToken ct)
    {
        var number = await sessions.ValidateRefreshAsync(refreshToken, ct).ConfigureAwait(false);
        var account = await lookup.FindAsync(number, ct).ConfigureAwait(false);
        if (account is null || account.Value.Status == AbhaStatus.Deleted)
            throw new DomainException(ErrorKind.Unauthenticated, "REFRESH_TOKEN_INVALID", "The token is not valid",
                "The ABHA this token was issued for no longer exists.");
        return await sessions.IssueAsync(number, ct).ConfigureAwait(false);
    }

    private async Task<LoginOutcome> LoginAsync(AbhaNumber number, CancellationToken ct)
    {
        var account = await lookup.RequireNotDeletedAsync(number, ct).ConfigureAwait(false);
        // Recorded before the tokens are issued: a login the trail cannot record does not happen.
        await audit.RecordPatientAsync(number, LoginAction, "success", ct).ConfigureAwait(false);
        return LoginOutcome.LoggedIn(account, await sessions.IssueAsync(number, ct).ConfigureAwait(false));
    }
}
