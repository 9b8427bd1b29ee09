using System.Globalization;
using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;

namespace Ndhm.HealthId.PartnerAuth;

/// <summary>
/// Patient authentication for partners (ABDM <c>users/auth/*</c>, <c>patients/find</c>): a HIP or HIU proves that
/// the person in front of it holds an ABHA address. Every call is audited on the patient's chain with the partner
/// named (or on the partner's chain when no patient matched). MOBILE_OTP goes through Health ID's OTP machinery
/// (rate window per mobile, hashed codes, expiry, attempts); DEMOGRAPHICS compares name, gender and year of birth
/// with the account, <see cref="AbdmSettings.OtpMaxAttempts"/> tries per transaction.
/// </summary>
public sealed class PartnerAuthService(
    AbhaAccountLookup lookup,
    OtpService otp,
    IPartnerAuthTransactionStore transactions,
    PartnerAuthTokens tokens,
    IHealthIdAuditLog audit,
    AbdmSettings settings,
    TimeProvider time,
    Identity.IIdentityHasher hasher)
{
    public const string FetchModesAction = "partner-auth.fetch-modes";
    public const string InitAction = "partner-auth.init";
    public const string ConfirmAction = "partner-auth.confirm";
    public const string FindAction = "partner-auth.find";

    /// <summary>The modes a partner may use for this patient and purpose (users/auth/fetch-modes).</summary>
    public async Task<IReadOnlyList<AuthMode>> FetchModesAsync(string patientId, AuthPurpose purpose, AuthRequester requester, string requestId,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var account = await FindActiveAsync(patientId, FetchModesAction, requester, requestId, ct).ConfigureAwait(false);
        var modes = ModesFor(account, purpose);
        await AuditAsync(FetchModesAction, requester, account, "OK", requestId, ct).ConfigureAwait(false);
        return modes;
    }

    /// <summary>
    /// Opens a transaction (users/auth/init). MOBILE_OTP sends an OTP to the ABHA's verified mobile now; DEMOGRAPHICS
    /// waits for the partner's answer. <paramref name="mode"/> null picks the first offered mode (MOBILE_OTP when possible).
    /// </summary>
    public async Task<AuthInitResult> InitAsync(string patientId, AuthPurpose purpose, AuthMode? mode, AuthRequester requester, string requestId,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var account = await FindActiveAsync(patientId, InitAction, requester, requestId, ct).ConfigureAwait(false);
        var offered = ModesFor(account, purpose);
        var chosen = mode ?? (offered.Count > 0 ? offered[0] : AuthMode.MobileOtp);
        if (!offered.Contains(chosen))
        {
            await AuditAsync(InitAction, requester, account, "MODE_NOT_SUPPORTED", requestId, ct).ConfigureAwait(false);
            throw PartnerAuthErrors.ModeNotSupported(chosen);
        }

        var now = time.GetUtcNow();
        var id = Guid.NewGuid().ToString();
        string? otpTxnId = null;
        string? hint = null;
        var expires = now + settings.AuthTransactionLifetime;
        if (chosen == AuthMode.MobileOtp)
        {
            OtpIssued issued;
            try
            {
                issued = await otp.RequestAsync(OtpPurpose.PartnerAuth, account.Mobile!, targetHash: null, account.AbhaNumber, ct).ConfigureAwait(false);
            }
            catch (DomainException e)
            {
                await AuditAsync(InitAction, requester, account, e.Code, requestId, ct).ConfigureAwait(false);
                throw PartnerAuthErrors.FromOtp(e);
            }

            otpTxnId = issued.TxnId;
            hint = issued.Message;
            expires = issued.ExpiresAt < expires ? issued.ExpiresAt : expires;
        }

        var docId = PartnerAuthTransaction.DocumentId(id);
        // DIRECT: the patient's app lists the transaction by a keyed hash of the ABHA number, and answers it there.
        var patientKey = chosen == AuthMode.Direct ? await DirectAuthService.PatientKeyAsync(hasher, account.AbhaNumber, ct).ConfigureAwait(false) : null;
        if (chosen == AuthMode.Direct) hint = "Approve or deny the request in your ABHA app.";
        var transaction = new PartnerAuthTransaction(docId, docId, id, requester.PartnerId, requester.Type, requester.Id, purpose, chosen, account.AbhaNumber,
            patientId.Trim().ToLowerInvariant(), otpTxnId, 0, PartnerAuthStatus.Pending, now, expires,
            (int)Math.Ceiling((expires - now + TimeSpan.FromDays(1)).TotalSeconds), patientKey);
        await AuditAsync(InitAction, requester, account, chosen switch { AuthMode.MobileOtp => "OTP_SENT", AuthMode.Direct => "AWAITING_PATIENT", _ => "OK" },
            requestId, ct).ConfigureAwait(false);
        await transactions.CreateAsync(transaction, ct).ConfigureAwait(false);
        return new AuthInitResult(id, chosen, expires, hint);
    }

    /// <summary>
    /// Checks the credential of a transaction this requester opened (users/auth/confirm): the OTP for MOBILE_OTP,
    /// the demographics for DEMOGRAPHICS. Success returns the access token (LINK, KYC_AND_LINK) and the demographics
    /// (KYC, KYC_AND_LINK); a transaction is confirmed once.
    /// </summary>
    public async Task<AuthConfirmResult> ConfirmAsync(string transactionId, string? authCode, DemographicCredential? demographic,
        AuthRequester requester, string requestId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var stored = Guid.TryParse(transactionId, out _) ? await transactions.FindAsync(transactionId, ct).ConfigureAwait(false) : null;
        if (stored is null || !stored.Value.BelongsTo(requester))
        {
            await audit.RecordAsync(ConfirmAction, requester.PartnerId, [RoleOf(requester)], "unknown", "TXN_NOT_FOUND", requestId, ct)
                .ConfigureAwait(false);
            throw PartnerAuthErrors.TransactionNotFound();
        }

        var txn = stored.Value;
        var subject = txn.AbhaNumber.Digits;
        if (txn.Mode == AuthMode.Direct) throw await RefuseAsync(txn, requester, "DIRECT_MODE", PartnerAuthErrors.NotForDirect(), requestId, ct);
        if (txn.Status is PartnerAuthStatus.Authenticated or PartnerAuthStatus.Denied) throw await RefuseAsync(txn, requester, "ALREADY_USED", PartnerAuthErrors.TransactionNotFound(), requestId, ct);
        if (txn.Status == PartnerAuthStatus.Locked)
            throw await RefuseAsync(txn, requester, "LOCKED", PartnerAuthErrors.FromOtp(OtpErrors.AttemptsExceeded(settings.OtpMaxAttempts)), requestId, ct);
        if (time.GetUtcNow() >= txn.ExpiresAt) throw await RefuseAsync(txn, requester, "EXPIRED", PartnerAuthErrors.TransactionExpired(), requestId, ct);

        if (txn.Mode == AuthMode.MobileOtp)
        {
            if (string.IsNullOrWhiteSpace(authCode)) throw PartnerAuthErrors.CredentialMissing(txn.Mode);
            try
            {
                await otp.VerifyAsync(txn.OtpTxnId!, OtpPurpose.PartnerAuth, authCode.Trim(), txn.AbhaNumber, ct).ConfigureAwait(false);
            }
            catch (DomainException e) when (e.Kind is not ErrorKind.DependencyUnavailable)
            {
                throw await RefuseAsync(txn, requester, e.Code, PartnerAuthErrors.FromOtp(e), requestId, ct);
            }
        }

        var account = (await lookup.FindAsync(txn.AbhaNumber, ct).ConfigureAwait(false))?.Value;
        if (account is null || account.Status != AbhaStatus.Active)
            throw await RefuseAsync(txn, requester, "NOT_FOUND", PartnerAuthErrors.NotFound(), requestId, ct);

        if (txn.Mode == AuthMode.Demographics)
        {
            if (demographic is null) throw PartnerAuthErrors.CredentialMissing(txn.Mode);
            if (!Matches(account, demographic))
            {
                var attempts = txn.Attempts + 1;
                var locked = attempts >= settings.OtpMaxAttempts;
                await transactions.ReplaceAsync(txn with { Attempts = attempts, Status = locked ? PartnerAuthStatus.Locked : PartnerAuthStatus.Pending },
                    stored.ETag, ct).ConfigureAwait(false);
                throw await RefuseAsync(txn, requester, locked ? "LOCKED" : "MISMATCH",
                    locked ? PartnerAuthErrors.FromOtp(OtpErrors.AttemptsExceeded(settings.OtpMaxAttempts)) : PartnerAuthErrors.Mismatch(settings.OtpMaxAttempts - attempts),
                    requestId, ct);
            }
        }

        // If-Match: of two racing confirms of one transaction only one gets a token.
        var done = txn with { Status = PartnerAuthStatus.Authenticated };
        await transactions.ReplaceAsync(done, stored.ETag, ct).ConfigureAwait(false);
        await audit.RecordAsync(ConfirmAction, requester.PartnerId, [RoleOf(requester)], subject, "AUTHENTICATED", requestId, ct).ConfigureAwait(false);
        var token = txn.Purpose.GrantsAccessToken() ? await tokens.IssueAsync(done, ct).ConfigureAwait(false) : null;
        return new AuthConfirmResult(token?.Token, txn.Purpose.SharesDemographics() ? Demographics(account, txn.PatientId) : null, txn.Purpose,
            requester, token?.ExpiresAt);
    }

    /// <summary>patients/find: the patient's id and name, when an active ABHA has this address or number.</summary>
    public async Task<(string Id, string Name)> FindAsync(string patientId, AuthRequester requester, string requestId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var account = await FindActiveAsync(patientId, FindAction, requester, requestId, ct).ConfigureAwait(false);
        await AuditAsync(FindAction, requester, account, "FOUND", requestId, ct).ConfigureAwait(false);
        return (patientId.Trim().ToLowerInvariant(), account.Name?.FullName ?? "");
    }

    /// <summary>
    /// MOBILE_OTP when the ABHA has a verified mobile to send it to; DEMOGRAPHICS when the ABHA holds a name, gender
    /// and year of birth to compare with. AADHAAR_OTP never: the platform keeps only a keyed hash of the Aadhaar
    /// number. DIRECT (the patient approves or denies in their app, the partner hears through users/auth/notify,
    /// <see cref="DirectAuthService"/>) for every active ABHA: its holder can sign in to answer. Listed last, so a
    /// users/auth/init without an authMode keeps choosing MOBILE_OTP (or DEMOGRAPHICS) first.
    /// </summary>
    public static IReadOnlyList<AuthMode> ModesFor(AbhaAccount account, AuthPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(account);
        _ = purpose; // every purpose is served by the same modes today; the parameter keeps ABDM's question whole
        var modes = new List<AuthMode>();
        if (account.MobileVerified && account.Mobile is not null) modes.Add(AuthMode.MobileOtp);
        if (account.Name is not null && account.Gender is not null && account.DateOfBirth is not null) modes.Add(AuthMode.Demographics);
        if (account.Status == AbhaStatus.Active) modes.Add(AuthMode.Direct);
        return modes;
    }

    /// <summary>Name (case and spacing ignored), gender and year of birth as the ABHA holds them; month and day too when both sides have them.</summary>
    public static bool Matches(AbhaAccount account, DemographicCredential answer)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(answer);
        if (account.Name is null || account.Gender is null || account.DateOfBirth is null) return false;
        if (!string.Equals(Normalise(account.Name.FullName), Normalise(answer.Name), StringComparison.Ordinal)) return false;
        if (!string.Equals(account.Gender.ToString(), answer.Gender?.Trim(), StringComparison.OrdinalIgnoreCase)) return false;
        var parts = (answer.DateOfBirth ?? "").Trim().Split('-');
        if (parts.Length is not (1 or 3) || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year)) return false;
        if (year != account.DateOfBirth.Year) return false;
        if (parts.Length == 3 && account.DateOfBirth.Month is { } month && account.DateOfBirth.Day is { } day)
        {
            return int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m == month
                && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d == day;
        }

        return true;
    }

    public static PatientDemographics Demographics(AbhaAccount account, string patientId)
    {
        ArgumentNullException.ThrowIfNull(account);
        var identifiers = new List<PatientIdentifier> { new("HEALTH_NUMBER", account.AbhaNumber.Formatted) };
        if (account.MobileVerified && account.Mobile is not null) identifiers.Add(new PatientIdentifier("MOBILE", account.Mobile.Digits));
        var address = account.Address is { } a ? new PatientAddress(a.Line, a.District, a.State, a.PinCode) : null;
        return new PatientDemographics(patientId, account.Name?.FullName ?? "", account.Gender?.ToString() ?? "U", account.DateOfBirth?.Year ?? 0,
            address, identifiers);
    }

    private static string Normalise(string? name) =>
        string.Join(' ', (name ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToLowerInvariant();

    private async Task<DomainException> RefuseAsync(PartnerAuthTransaction txn, AuthRequester requester, string outcome, DomainException error,
        string requestId, CancellationToken ct)
    {
        await audit.RecordAsync(ConfirmAction, requester.PartnerId, [RoleOf(requester)], txn.AbhaNumber.Digits, outcome, requestId, ct)
            .ConfigureAwait(false);
        return error;
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

    private Task AuditAsync(string action, AuthRequester requester, AbhaAccount account, string outcome, string requestId, CancellationToken ct) =>
        audit.RecordAsync(action, requester.PartnerId, [RoleOf(requester)], account.AbhaNumber.Digits, outcome, requestId, ct);

    private static string RoleOf(AuthRequester requester) => requester.Type == RequesterType.Hip ? "HIP" : "HIU";
}
