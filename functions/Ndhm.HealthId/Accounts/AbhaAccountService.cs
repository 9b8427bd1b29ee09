using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;
using Ndhm.Privacy.Export;

namespace Ndhm.HealthId.Accounts;

/// <summary>
/// Changes to an existing ABHA account that keep the lookup views in its address claims in step
/// (<see cref="AbhaLookupView"/>), and the fresh OTP that confirms the destructive ones (deactivation, erasure).
/// <para>
/// The account and its claims are documents in different partitions, so they are written one after the other, in
/// the order whose half-done state is the safe one. Changes that hide (deactivation, erasure) write the claims
/// first: stopped in between, the address is already hidden from verifiers while the account is unchanged.
/// Changes that show or edit (reactivation, profile, mobile, preferred address) write the account first: stopped
/// in between, the claims keep the previous view, never data the account does not hold. Every change can be
/// repeated and the repeat completes it; a deactivation or reactivation that finds the account already in its
/// target state writes a new version (<see cref="AbhaAccount.Touch"/>) and the claims again.
/// </para>
/// </summary>
public sealed class AbhaAccountService(IAbhaAccountStore accounts, IIdentityClaims claims, OtpService otp, TimeProvider time,
    HealthIdAudit audit, IEnumerable<IPatientErasureStep>? erasureSteps = null, IEnumerable<IAbhaStatusListener>? statusListeners = null)
{
    private readonly IReadOnlyList<IPatientErasureStep> erasureSteps = erasureSteps?.ToList() ?? [];
    private readonly IReadOnlyList<IAbhaStatusListener> statusListeners = statusListeners?.ToList() ?? [];

    /// <summary>What names an erasure to whoever is told of it: an account is erased once.</summary>
    public const string ErasureOccurrence = "erasure";

    public const string ProfileUpdateAction = "profile.update";
    public const string MobileChangeAction = "mobile.change";
    public const string DeactivateAction = "abha.deactivate";
    public const string DeleteAction = "abha.delete";
    public const string PreferredAddressAction = "address.preferred";
    public const string ReactivateAction = "abha.reactivate";
    public const string EmailVerifyAction = "email.verify";

    // A concurrent change to the same account (If-Match failed) is re-read and the change applied again: the
    // person's intent does not depend on the version they saw, and a confirmed deactivation must not cost its OTP.
    private const int SaveTries = 3;

    // Each change is recorded on the patient's audit chain before it is stored: a change the trail cannot record is not made.
    public async Task<AbhaAccount> UpdateProfileAsync(AbhaNumber number, AbhaProfileUpdate update, CancellationToken ct)
    {
        await audit.RecordPatientAsync(number, ProfileUpdateAction, null, ct).ConfigureAwait(false);
        return await ShowAsync(number, account => account.UpdateProfile(update, time), ct).ConfigureAwait(false);
    }

    /// <summary>Replaces the mobile; the caller has verified an OTP to the new one (purpose MobileUpdate).</summary>
    public async Task<AbhaAccount> ChangeMobileAsync(AbhaNumber number, MobileNumber mobile, string mobileHash, CancellationToken ct)
    {
        await audit.RecordPatientAsync(number, MobileChangeAction, null, ct).ConfigureAwait(false);
        return await ShowAsync(number, account => account.ChangeMobile(mobile, mobileHash, time), ct).ConfigureAwait(false);
    }

    /// <summary>Sends the OTP that re-verifies <paramref name="mobile"/> before it replaces the account's (an active account only).</summary>
    public async Task<OtpIssued> RequestMobileChangeOtpAsync(AbhaNumber number, MobileNumber mobile, CancellationToken ct)
    {
        // Per new mobile, whichever account asks: one mobile cannot be flooded through many accounts.
        await otp.TargetLimits.CountRequestAsync(mobile, ct).ConfigureAwait(false);
        var account = (await FindAsync(number, ct).ConfigureAwait(false)).Value;
        if (account.Status != AbhaStatus.Active)
            throw new DomainException(ErrorKind.Conflict, HealthIdErrors.AccountStateInvalid, "Account is not active",
                "Only an active ABHA can change its mobile.");
        return await otp.RequestAsync(OtpPurpose.MobileUpdate, mobile, null, number, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends an OTP to <paramref name="email"/> (through <paramref name="sender"/>, the email port) to verify it for this
    /// active account. Limited per email address (the OTP window of its keyed hash) like a mobile.
    /// </summary>
    public async Task<OtpIssued> RequestEmailVerificationOtpAsync(AbhaNumber number, string email, IEmailOtpSender sender, IIdentityHasher hasher,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(hasher);
        var normalised = EmailAddress.Normalise(email);
        var account = (await FindAsync(number, ct).ConfigureAwait(false)).Value;
        if (account.Status != AbhaStatus.Active)
            throw new DomainException(ErrorKind.Conflict, HealthIdErrors.AccountStateInvalid, "Account is not active",
                "Only an active ABHA can verify an email.");
        var emailHash = await hasher.HashEmailAsync(normalised, ct).ConfigureAwait(false);
        var txn = await otp.IssueAsync(OtpPurpose.EmailVerification, emailHash, number,
            (code, txnId, expiresAt) => sender.SendAsync(new EmailOtpDelivery(normalised, code, OtpPurpose.EmailVerification, txnId, expiresAt), ct),
            ct).ConfigureAwait(false);
        return new OtpIssued(txn.TxnId, "OTP is sent to email " + MaskEmail(normalised), txn.ExpiresAt);
    }

    /// <summary>
    /// Verifies the email OTP (a transaction of this account for this very address, else TXN_NOT_FOUND) and stores the
    /// email as verified, with its keyed hash; audited before it is stored.
    /// </summary>
    public async Task<AbhaAccount> VerifyEmailAsync(AbhaNumber number, string email, string txnId, string otpValue, IIdentityHasher hasher,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        var normalised = EmailAddress.Normalise(email);
        var emailHash = await hasher.HashEmailAsync(normalised, ct).ConfigureAwait(false);
        // Another address's transaction is TXN_NOT_FOUND before the code is tried (no attempt spent).
        await otp.VerifyAsync(txnId, OtpPurpose.EmailVerification, otpValue, number, emailHash, ct).ConfigureAwait(false);
        await audit.RecordPatientAsync(number, EmailVerifyAction, null, ct).ConfigureAwait(false);
        return await ShowAsync(number, account => account.VerifyEmail(normalised, emailHash, time), ct).ConfigureAwait(false);
    }

    /// <summary><c>s****@example.com</c>: the first character of the local part, the domain.</summary>
    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 1 ? "*" + email[Math.Max(at, 0)..] : email[0] + new string('*', at - 1) + email[at..];
    }

    public async Task<AbhaAccount> SetPreferredAddressAsync(AbhaNumber number, AbhaAddress address, CancellationToken ct)
    {
        await audit.RecordPatientAsync(number, PreferredAddressAction, null, ct).ConfigureAwait(false);
        return await ShowAsync(number, account => account.SetPreferredAddress(address, time), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reactivates a deactivated account. No OTP: the person logged in to get here, and reactivating hides nothing.
    /// An account already active is re-synced (the repair of a reactivation stopped before its claims were written).
    /// </summary>
    public async Task<AbhaAccount> ReactivateAsync(AbhaNumber number, CancellationToken ct)
    {
        await audit.RecordPatientAsync(number, ReactivateAction, null, ct).ConfigureAwait(false);
        var reactivated = await ShowAsync(number, account =>
        {
            if (account.Status == AbhaStatus.Active) account.Touch(time);
            else account.Reactivate(time);
        }, ct).ConfigureAwait(false);
        // An account active since enrolment has no reactivation to tell.
        if (reactivated.ReactivatedAt is { } reactivatedAt)
            await TellAsync(number, AbhaStatusChange.Reactivated, Occurrence(reactivatedAt), ct).ConfigureAwait(false);
        return reactivated;
    }

    /// <summary>
    /// Sends the OTP that confirms a deactivation (<see cref="OtpPurpose.AccountDeactivation"/>) or an erasure
    /// (<see cref="OtpPurpose.AccountDeletion"/>) to the account's verified mobile, or with
    /// <paramref name="resendTxnId"/> a new code for that transaction (the usual resend rules). Throws
    /// ACCOUNT_DELETED, MOBILE_NOT_LINKED, or the OTP request errors.
    /// </summary>
    public async Task<OtpIssued> RequestConfirmationOtpAsync(AbhaNumber number, OtpPurpose purpose, string? resendTxnId,
        CancellationToken ct)
    {
        if (purpose is not (OtpPurpose.AccountDeactivation or OtpPurpose.AccountDeletion))
            throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Only deactivation and deletion are confirmed by OTP.");
        var account = (await FindAsync(number, ct).ConfigureAwait(false)).Value;
        return await SendOtpToVerifiedMobileAsync(account, purpose, resendTxnId, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// An OTP of <paramref name="purpose"/> (login, deactivation, deletion) to the account's verified mobile, or with
    /// <paramref name="resendTxnId"/> a new code for that transaction. Throws ACCOUNT_DELETED, MOBILE_NOT_LINKED, or
    /// the OTP request errors.
    /// </summary>
    public async Task<OtpIssued> SendOtpToVerifiedMobileAsync(AbhaAccount account, OtpPurpose purpose, string? resendTxnId,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        account.EnsureNotDeleted();
        if (account.Mobile is null || account.MobileHash is null || !account.MobileVerified)
            throw new DomainException(ErrorKind.Conflict, HealthIdErrors.MobileNotLinked, "No verified mobile",
                $"This ABHA has no verified mobile to send {(purpose == OtpPurpose.Login ? "a login" : "the confirmation")} OTP to.");
        return string.IsNullOrWhiteSpace(resendTxnId)
            ? await otp.RequestAsync(purpose, account.Mobile, account.MobileHash, account.AbhaNumber, ct).ConfigureAwait(false)
            : await otp.ResendAsync(resendTxnId, purpose, account.Mobile, account.AbhaNumber, targetHash: null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Deactivates the account once <paramref name="otpValue"/> is verified for a deactivation transaction of this
    /// account (another account's or another purpose's is TXN_NOT_FOUND; the OTP errors otherwise). An account
    /// already deactivated is re-synced.
    /// </summary>
    public async Task<AbhaAccount> DeactivateAsync(AbhaNumber number, string txnId, string otpValue, CancellationToken ct)
    {
        await otp.VerifyAsync(txnId, OtpPurpose.AccountDeactivation, otpValue, number, ct).ConfigureAwait(false);
        await audit.RecordPatientAsync(number, DeactivateAction, null, ct).ConfigureAwait(false);
        var deactivated = await HideAsync(number, account =>
        {
            if (account.Status == AbhaStatus.Deactivated) account.Touch(time);
            else account.Deactivate(time);
            return Linked(account);
        }, ct).ConfigureAwait(false);
        await TellAsync(number, AbhaStatusChange.Deactivated, Occurrence(deactivated.DeactivatedAt!.Value), ct).ConfigureAwait(false);
        return deactivated;
    }

    /// <summary>
    /// Erases the account once <paramref name="otpValue"/> is verified for a deletion transaction of this account:
    /// personal data goes from the account and from its address claims (which stay, so the addresses are never
    /// reissued), the number is retired, and the Aadhaar claim is released.
    /// </summary>
    public async Task<AbhaAccount> EraseAsync(AbhaNumber number, string txnId, string otpValue, CancellationToken ct)
    {
        await otp.VerifyAsync(txnId, OtpPurpose.AccountDeletion, otpValue, number, ct).ConfigureAwait(false);
        await audit.RecordPatientAsync(number, DeleteAction, null, ct).ConfigureAwait(false);
        // Told before the erasure is stored: storing it shreds the patient's data key, after which nobody can read
        // whom to tell (the HIPs the patient linked records at).
        (await FindAsync(number, ct).ConfigureAwait(false)).Value.EnsureNotDeleted();
        await TellAsync(number, AbhaStatusChange.Deleted, ErasureOccurrence, ct).ConfigureAwait(false);
        string? aadhaarHash = null;
        var erased = await HideAsync(number, account =>
        {
            aadhaarHash = account.AadhaarHash;
            return account.Erase(time);
        }, ct).ConfigureAwait(false);
        // Released only once the erasure is saved: a crash in between leaves a claim pointing at a deleted account,
        // which enrolment treats as free (and never revives the retired number).
        if (aadhaarHash is not null)
            await claims.ReleaseAadhaarAsync(aadhaarHash, ct).ConfigureAwait(false);
        // What other capabilities hold about the patient (the nominee, ...) goes too. The data key is already destroyed,
        // so a crash before these steps leaves behind only ciphertext nobody can decrypt any more.
        var subject = new PatientDataSubject(number.Digits);
        foreach (var step in erasureSteps)
            await step.EraseAsync(subject, ct).ConfigureAwait(false);
        return erased;
    }

    /// <summary>Account first, then its claims.</summary>
    private async Task<AbhaAccount> ShowAsync(AbhaNumber number, Action<AbhaAccount> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await FindAsync(number, ct).ConfigureAwait(false);
            var account = stored.Value;
            change(account);
            try
            {
                await accounts.ReplaceAsync(account, stored.ETag, ct).ConfigureAwait(false);
            }
            catch (DomainException e) when (e.Kind == ErrorKind.PreconditionFailed && attempt < SaveTries)
            {
                continue;
            }

            await claims.SyncAddressViewsAsync(Linked(account), account.ToLookupView(), ct).ConfigureAwait(false);
            return account;
        }
    }

    /// <summary>Claims first (of the addresses <paramref name="change"/> returns), then the account.</summary>
    private async Task<AbhaAccount> HideAsync(AbhaNumber number, Func<AbhaAccount, IReadOnlyList<AbhaAddress>> change,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await FindAsync(number, ct).ConfigureAwait(false);
            var account = stored.Value;
            var addresses = change(account);
            await claims.SyncAddressViewsAsync(addresses, account.ToLookupView(), ct).ConfigureAwait(false);
            try
            {
                await accounts.ReplaceAsync(account, stored.ETag, ct).ConfigureAwait(false);
                return account;
            }
            catch (DomainException e) when (e.Kind == ErrorKind.PreconditionFailed && attempt < SaveTries)
            {
            }
        }
    }

    private async Task TellAsync(AbhaNumber number, AbhaStatusChange change, string occurrence, CancellationToken ct)
    {
        foreach (var listener in statusListeners)
            await listener.OnStatusChangedAsync(new AbhaStatusChanged(number.Digits, change, occurrence), ct).ConfigureAwait(false);
    }

    private static string Occurrence(DateTimeOffset at) => at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static List<AbhaAddress> Linked(AbhaAccount account) => account.AbhaAddresses.Select(a => a.Address).ToList();

    private async Task<Versioned<AbhaAccount>> FindAsync(AbhaNumber number, CancellationToken ct) =>
        await accounts.FindAsync(number, ct).ConfigureAwait(false) ?? throw HealthIdErrors.AbhaNotFound();
}
