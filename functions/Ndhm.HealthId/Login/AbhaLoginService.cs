using Ndhm.Core.Errors;
using Ndhm.Core.Security.Tokens;
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
public sealed class AbhaLoginService(AbhaAccountLookup lookup, OtpService otp, IIdentityHasher hasher,
    PatientSessions sessions, HealthIdAudit audit, UniformLatency latency)
{
    public const string LoginAction = "login";
    public const string OtpRequestAction = "login.otp.request";
    public const string RefreshReuseAction = "login.refresh.reuse";

    /// <summary>
    /// What every login OTP request answers, sent or not: it names no digits of the mobile, because for an unknown
    /// identifier there is none to name and a hint only a known account has would tell the two apart.
    /// </summary>
    public const string OtpSentMessage = "If this ABHA can log in with an OTP, the OTP is sent to its verified mobile number.";

    /// <summary>
    /// Sends (or with <paramref name="resendTxnId"/> resends) the login OTP. <paramref name="loginHint"/>: mobile (to
    /// that mobile, when some live ABHA uses it), abha-number or abha-address (to the account's verified mobile).
    /// <para>
    /// No enumeration: an identifier with no live account and verified mobile behind it (unknown, erased, no verified
    /// mobile) gets the same answer as a known one: 200, a txnId of a decoy transaction stored like a real one (a
    /// verify of it fails as a wrong OTP does), the same message, and about the same time (<see cref="UniformLatency"/>
    /// pads the decoy to the average of real sends). Nothing is sent for it. Only a malformed identifier is refused.
    /// A request for a known account is recorded on its audit chain (anonymous actor; the identifier is not recorded).
    /// </para>
    /// </summary>
    public async Task<OtpIssued> RequestOtpAsync(string loginHint, string loginId, string? resendTxnId, CancellationToken ct)
    {
        var target = await ResolveAsync(loginHint, loginId, ct).ConfigureAwait(false);
        var started = latency.Start();
        var resend = !string.IsNullOrWhiteSpace(resendTxnId);
        OtpIssued issued;
        // Recorded before anything is sent: an OTP the trail cannot record is not sent. When the trail cannot record
        // it, the known account takes the unknown one's path (a decoy, nothing sent) instead of answering 503: a 503
        // only for known accounts would tell them apart while the audit store is down.
        if (target.Mobile is not null && !await TryRecordRequestAsync(target, resend, ct).ConfigureAwait(false))
            target = target with { Mobile = null };
        if (target.Mobile is null)
        {
            issued = resend
                ? await otp.ResendDecoyAsync(resendTxnId!, OtpPurpose.Login, target.Hash, ct).ConfigureAwait(false)
                : await otp.IssueDecoyAsync(OtpPurpose.Login, target.Hash, ct).ConfigureAwait(false);
            await latency.PadAsync(started, ct).ConfigureAwait(false);
        }
        else
        {
            issued = resend
                ? await otp.ResendAsync(resendTxnId!, OtpPurpose.Login, target.Mobile, target.Account, targetHash: null,
                    concealRateLimit: true, ct).ConfigureAwait(false)
                : await otp.RequestAsync(OtpPurpose.Login, target.Mobile, target.Hash, target.Account, concealRateLimit: true, ct)
                    .ConfigureAwait(false);
            latency.Observe(started);
        }

        return issued with { Message = OtpSentMessage };
    }

    /// <summary>
    /// Records the request on each holder's chain; false when the audit trail cannot (store unreachable, say): the
    /// OTP is then not sent. Cancellation and bad input still propagate.
    /// </summary>
    private async Task<bool> TryRecordRequestAsync(LoginTarget target, bool resend, CancellationToken ct)
    {
        try
        {
            foreach (var holder in target.Holders)
                await audit.RecordAnonymousAsync(holder, OtpRequestAction, resend ? "resent" : "sent", ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException && e is not DomainException { Kind: ErrorKind.Validation })
        {
            return false;
        }
    }

    /// <summary>
    /// Where a login OTP for this identifier goes: the verified mobile and the ABHAs it logs in to, or (no mobile) a
    /// decoy keyed by the identifier's hash. The identifier counts against its per-target limit first, found or not;
    /// both lookups are the same reads whatever they find.
    /// </summary>
    private async Task<LoginTarget> ResolveAsync(string loginHint, string loginId, CancellationToken ct)
    {
        switch (loginHint.ToLowerInvariant())
        {
            case "mobile":
                var mobile = MobileNumber.Parse(loginId);
                await otp.TargetLimits.CountRequestAsync(mobile, ct).ConfigureAwait(false);
                var mobileHash = await hasher.HashMobileAsync(mobile, ct).ConfigureAwait(false);
                var linked = await lookup.FindByMobileHashAsync(mobileHash, ct).ConfigureAwait(false);
                return linked.Count == 0 ? new LoginTarget(mobileHash, null, null, []) : new LoginTarget(mobileHash, mobile, null, linked);
            case "abha-number" or "abha-address":
                var canonical = lookup.Canonical(loginId);
                await otp.TargetLimits.CountAbhaRequestAsync(canonical, ct).ConfigureAwait(false);
                // The transaction proves the identifier asked for, known or not, so its verification counts per identifier alike.
                var identifierHash = await hasher.HashAbhaIdentifierAsync(canonical, ct).ConfigureAwait(false);
                var stored = await lookup.FindAsync(canonical, ct).ConfigureAwait(false);
                if (stored?.Value is { Status: not AbhaStatus.Deleted, Mobile: { } verified, MobileHash: not null, MobileVerified: true } account)
                    return new LoginTarget(identifierHash, verified, account.AbhaNumber, [account.AbhaNumber]);
                return new LoginTarget(identifierHash, null, null, []);
            default:
                throw HealthIdErrors.InvalidRequest("loginHint must be abha-number, abha-address or mobile.");
        }
    }

    /// <param name="Hash">What the OTP proves: the mobile's keyed hash (by mobile) or the identifier's (by number or address).</param>
    /// <param name="Mobile">Where the OTP goes; null for a decoy.</param>
    /// <param name="Account">The account a login by number or address is for (null by mobile).</param>
    private sealed record LoginTarget(string Hash, MobileNumber? Mobile, AbhaNumber? Account, IReadOnlyList<AbhaNumber> Holders);

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

    /// <summary>
    /// New patient tokens for a refresh token, which is spent (rotation). A token already spent presented again is a
    /// reuse: somebody else holds a copy, so the login's family is revoked (its newer token stops working too) and the
    /// reuse is recorded on the patient's audit chain (<see cref="RefreshReuseAction"/>). Every refusal (malformed,
    /// unknown, expired, spent, revoked, ABHA deleted) is the same 401 REFRESH_TOKEN_INVALID.
    /// </summary>
    public async Task<PatientSessionTokens> RefreshAsync(string? refreshToken, CancellationToken ct)
    {
        if (await sessions.FindRefreshAsync(refreshToken, ct).ConfigureAwait(false) is not { } found)
            throw PatientSessions.RefreshRefused();
        var (family, presented, number) = found;
        var account = await lookup.FindAsync(number, ct).ConfigureAwait(false);
        var outcome = await sessions.RefreshAsync(family, presented, number,
            ownerValid: account is { Value.Status: not AbhaStatus.Deleted }, ct).ConfigureAwait(false);
        if (outcome.Verdict == RefreshVerdict.Reuse)
            await audit.RecordAnonymousAsync(number, RefreshReuseAction, "family-revoked", ct).ConfigureAwait(false);
        return outcome.Verdict == RefreshVerdict.Rotate ? outcome.Issued! : throw PatientSessions.RefreshRefused();
    }

    private async Task<LoginOutcome> LoginAsync(AbhaNumber number, CancellationToken ct)
    {
        var account = await lookup.RequireNotDeletedAsync(number, ct).ConfigureAwait(false);
        // Recorded before the tokens are issued: a login the trail cannot record does not happen.
        await audit.RecordPatientAsync(number, LoginAction, "success", ct).ConfigureAwait(false);
        return LoginOutcome.LoggedIn(account, await sessions.IssueAsync(number, ct).ConfigureAwait(false));
    }
}
