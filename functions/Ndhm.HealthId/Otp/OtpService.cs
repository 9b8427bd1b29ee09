using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Otp;

/// <summary>The answer to an OTP request, in ABDM's words ("OTP is sent to Mobile number ending with ******0161").</summary>
public sealed record OtpIssued(string TxnId, string Message, DateTimeOffset ExpiresAt);

/// <summary>
/// Runs the OTP rules end to end: rate window per mobile, issue and send, resend, verify. HTTP functions call
/// this; the stores, sender, hashers and key source are ports plugged in by the host.
/// </summary>
public sealed class OtpService(
    IOtpTransactionStore transactions,
    IMobileOtpWindowStore windows,
    IOtpSender sender,
    IOtpHasher otpHasher,
    IIdentityHasher identityHasher,
    IRandomSource random,
    TimeProvider time,
    OtpTargetLimits targetLimits,
    OtpPolicy? policy = null)
{
    private const int WindowSaveTries = 3;
    private readonly OtpPolicy policy = policy ?? OtpPolicy.Default;

    /// <summary>The per-target limits; verification counts here, requests at each flow's start (which knows the target).</summary>
    public OtpTargetLimits TargetLimits { get; } = targetLimits;

    /// <summary>
    /// Sends a new OTP to <paramref name="destination"/>. <paramref name="targetHash"/> is what the OTP proves
    /// (the mobile's own hash for mobile flows, the Aadhaar hash for Aadhaar flows; null means the destination).
    /// Throws OTP_RATE_LIMITED when the mobile had too many OTPs this hour.
    /// </summary>
    public Task<OtpIssued> RequestAsync(OtpPurpose purpose, MobileNumber destination, string? targetHash,
        AbhaNumber? abhaNumber, CancellationToken ct) =>
        RequestAsync(purpose, destination, targetHash, abhaNumber, concealRateLimit: false, ct);

    /// <summary>
    /// <see cref="RequestAsync(OtpPurpose, MobileNumber, string?, AbhaNumber?, CancellationToken)"/> for flows that
    /// must not tell a known identifier from an unknown one (login). With <paramref name="concealRateLimit"/>, a mobile
    /// whose window is full gets no OTP and the caller a decoy transaction (<see cref="IssueDecoyAsync"/>) instead of
    /// OTP_RATE_LIMITED: a refusal would say that the identifier leads to a mobile somebody asked OTPs for.
    /// </summary>
    public async Task<OtpIssued> RequestAsync(OtpPurpose purpose, MobileNumber destination, string? targetHash,
        AbhaNumber? abhaNumber, bool concealRateLimit, CancellationToken ct)
    {
        var destinationHash = await identityHasher.HashMobileAsync(destination, ct).ConfigureAwait(false);
        if (!await CountRequestAsync(destinationHash, concealRateLimit, ct).ConfigureAwait(false))
            return await IssueDecoyAsync(purpose, targetHash ?? destinationHash, ct).ConfigureAwait(false);

        var txnId = OtpTransaction.NewTxnId();
        var otp = OtpCode.Generate(random, policy.Length);
        var otpHash = await otpHasher.HashAsync(txnId, otp, ct).ConfigureAwait(false);
        var txn = OtpTransaction.Issue(txnId, purpose, targetHash ?? destinationHash, otpHash, time, policy, abhaNumber, destinationHash);
        await transactions.CreateAsync(txn, ct).ConfigureAwait(false);
        await sender.SendAsync(new OtpDelivery(destination, otp, purpose, txnId, txn.ExpiresAt), ct).ConfigureAwait(false);
        return new OtpIssued(txnId, SentMessage(destination), txn.ExpiresAt);
    }

    /// <summary>
    /// Issues an OTP to a destination that is not a mobile (an email address): the same rules (the request window per
    /// <paramref name="destinationHash"/>, the code, its hash and expiry) with <paramref name="deliver"/> as the sender
    /// (code, txnId, expiry). Throws OTP_RATE_LIMITED when the destination had too many OTPs this hour.
    /// </summary>
    public async Task<OtpTransaction> IssueAsync(OtpPurpose purpose, string destinationHash, AbhaNumber? abhaNumber,
        Func<string, string, DateTimeOffset, Task> deliver, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        await CountRequestAsync(destinationHash, ct).ConfigureAwait(false);
        var txnId = OtpTransaction.NewTxnId();
        var otp = OtpCode.Generate(random, policy.Length);
        var otpHash = await otpHasher.HashAsync(txnId, otp, ct).ConfigureAwait(false);
        var txn = OtpTransaction.Issue(txnId, purpose, destinationHash, otpHash, time, policy, abhaNumber, destinationHash);
        await transactions.CreateAsync(txn, ct).ConfigureAwait(false);
        await deliver(otp, txnId, txn.ExpiresAt).ConfigureAwait(false);
        return txn;
    }

    /// <summary>
    /// Sends a fresh code for an existing transaction of <paramref name="purpose"/> to the same mobile it went to
    /// before (a different mobile, or another purpose, gets TXN_NOT_FOUND, so a transaction cannot be redirected or
    /// walked into another flow). Throws OTP_RESEND_TOO_SOON, OTP_RATE_LIMITED, OTP_ATTEMPTS_EXCEEDED or
    /// OTP_ALREADY_USED.
    /// </summary>
    public Task<OtpIssued> ResendAsync(string txnId, OtpPurpose purpose, MobileNumber destination, CancellationToken ct) =>
        ResendAsync(txnId, purpose, destination, abhaNumber: null, targetHash: null, ct);

    /// <summary>
    /// <see cref="ResendAsync(string, OtpPurpose, MobileNumber, CancellationToken)"/> that also requires the
    /// transaction to act on <paramref name="abhaNumber"/> and to prove <paramref name="targetHash"/> (each when not
    /// null): an Aadhaar OTP is resent only for the Aadhaar it was started for, an account's OTP only for that account.
    /// </summary>
    public Task<OtpIssued> ResendAsync(string txnId, OtpPurpose purpose, MobileNumber destination, AbhaNumber? abhaNumber,
        string? targetHash, CancellationToken ct) =>
        ResendAsync(txnId, purpose, destination, abhaNumber, targetHash, concealRateLimit: false, ct);

    /// <summary>
    /// The resend above; with <paramref name="concealRateLimit"/> a full window sends nothing and answers as a resend
    /// does (the same txnId, the old code still valid) instead of OTP_RATE_LIMITED.
    /// </summary>
    public async Task<OtpIssued> ResendAsync(string txnId, OtpPurpose purpose, MobileNumber destination, AbhaNumber? abhaNumber,
        string? targetHash, bool concealRateLimit, CancellationToken ct)
    {
        var stored = await FindAsync(txnId, ct).ConfigureAwait(false);
        var txn = stored.Value;
        txn.EnsurePurpose(purpose);
        EnsureBelongs(txn, abhaNumber, targetHash);
        var destinationHash = await identityHasher.HashMobileAsync(destination, ct).ConfigureAwait(false);
        if (!string.Equals(destinationHash, txn.DestinationHash, StringComparison.Ordinal))
            throw OtpErrors.TxnNotFound();

        txn.EnsureResendable(time, policy);
        if (!await CountRequestAsync(destinationHash, concealRateLimit, ct).ConfigureAwait(false))
            return new OtpIssued(txn.TxnId, SentMessage(destination), time.GetUtcNow() + policy.Validity);

        var otp = OtpCode.Generate(random, policy.Length);
        txn.Resend(await otpHasher.HashAsync(txn.TxnId, otp, ct).ConfigureAwait(false), time, policy);
        await transactions.ReplaceAsync(txn, stored.ETag, ct).ConfigureAwait(false);
        await sender.SendAsync(new OtpDelivery(destination, otp, txn.Purpose, txn.TxnId, txn.ExpiresAt), ct).ConfigureAwait(false);
        return new OtpIssued(txn.TxnId, SentMessage(destination), txn.ExpiresAt);
    }

    /// <summary>
    /// A transaction stored exactly like a sent one (same document, same txnId format, same validity, attempts and
    /// retention) but whose code was never sent and can never match: its hash is of a secret that is not an OTP of
    /// the policy's length. So verifying it fails as a wrong OTP does (OTP_INVALID, attempts spent, then locked), and
    /// the answer to a request for an unknown identifier is the answer to a known one. <paramref name="targetHash"/>
    /// is a keyed hash of the identifier asked for, which a resend must name again.
    /// </summary>
    public async Task<OtpIssued> IssueDecoyAsync(OtpPurpose purpose, string targetHash, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetHash);
        var txnId = OtpTransaction.NewTxnId();
        var txn = OtpTransaction.Issue(txnId, purpose, targetHash, await UnmatchableHashAsync(txnId, ct).ConfigureAwait(false),
            time, policy, abhaNumber: null, targetHash);
        await transactions.CreateAsync(txn, ct).ConfigureAwait(false);
        return new OtpIssued(txnId, "", txn.ExpiresAt);
    }

    /// <summary>
    /// A resend of a decoy for the identifier hashed as <paramref name="targetHash"/>: the same rules as a real
    /// resend (purpose, target, OTP_RESEND_TOO_SOON, OTP_ATTEMPTS_EXCEEDED, OTP_ALREADY_USED), the same state change,
    /// nothing sent.
    /// </summary>
    public async Task<OtpIssued> ResendDecoyAsync(string txnId, OtpPurpose purpose, string targetHash, CancellationToken ct)
    {
        var stored = await FindAsync(txnId, ct).ConfigureAwait(false);
        var txn = stored.Value;
        txn.EnsurePurpose(purpose);
        EnsureBelongs(txn, abhaNumber: null, targetHash);
        txn.EnsureResendable(time, policy);
        txn.Resend(await UnmatchableHashAsync(txn.TxnId, ct).ConfigureAwait(false), time, policy);
        await transactions.ReplaceAsync(txn, stored.ETag, ct).ConfigureAwait(false);
        return new OtpIssued(txn.TxnId, "", txn.ExpiresAt);
    }

    /// <summary>
    /// Verifies <paramref name="otp"/> for a transaction of <paramref name="purpose"/> and returns the verified
    /// transaction (its <see cref="OtpTransaction.TargetHash"/> says what was proven). A wrong code's spent
    /// attempt is saved before the error is thrown.
    /// </summary>
    public Task<OtpTransaction> VerifyAsync(string txnId, OtpPurpose purpose, string otp, CancellationToken ct) =>
        VerifyAsync(txnId, purpose, otp, abhaNumber: null, ct);

    /// <summary>
    /// <see cref="VerifyAsync(string, OtpPurpose, string, CancellationToken)"/> for a transaction that must act on
    /// <paramref name="abhaNumber"/> (when not null). Another account's transaction is TXN_NOT_FOUND before any
    /// attempt is spent, so nobody can lock someone else's transaction by guessing at it.
    /// </summary>
    public Task<OtpTransaction> VerifyAsync(string txnId, OtpPurpose purpose, string otp, AbhaNumber? abhaNumber,
        CancellationToken ct) =>
        VerifyAsync(txnId, purpose, otp, abhaNumber, targetHash: null, ct);

    /// <summary>
    /// As above, for a transaction that must also prove <paramref name="targetHash"/> (when not null): one issued for
    /// another target (another email address, say) is TXN_NOT_FOUND before any attempt is spent.
    /// </summary>
    public async Task<OtpTransaction> VerifyAsync(string txnId, OtpPurpose purpose, string otp, AbhaNumber? abhaNumber,
        string? targetHash, CancellationToken ct)
    {
        var stored = await FindAsync(txnId, ct).ConfigureAwait(false);
        var txn = stored.Value;
        txn.EnsurePurpose(purpose);
        EnsureBelongs(txn, abhaNumber, targetHash);
        await TargetLimits.CountVerificationAsync(txn, ct).ConfigureAwait(false);
        // A code of the wrong shape cannot be right: refuse it without spending one of the person's attempts.
        if (!OtpCode.IsWellFormed(otp, policy.Length))
            throw OtpErrors.Malformed(policy.Length);

        var result = txn.Verify(await otpHasher.HashAsync(txn.TxnId, otp, ct).ConfigureAwait(false), time, policy);
        if (result.StateChanged)
            await transactions.ReplaceAsync(txn, stored.ETag, ct).ConfigureAwait(false);
        result.ThrowIfFailed();
        return txn;
    }

    /// <summary>
    /// Loads a transaction a later step depends on (creating the account after enrolment OTP, say) and checks
    /// it was verified for <paramref name="purpose"/>.
    /// </summary>
    public async Task<OtpTransaction> RequireVerifiedAsync(string txnId, OtpPurpose purpose, CancellationToken ct)
    {
        var txn = (await FindAsync(txnId, ct).ConfigureAwait(false)).Value;
        txn.EnsureVerified(purpose);
        return txn;
    }

    /// <summary>
    /// Spends a verified transaction of <paramref name="purpose"/> whose OTP went to <paramref name="destination"/>
    /// (another mobile gets TXN_NOT_FOUND) and saves that with If-Match, so of two racing uses only one gets
    /// past this call. Throws OTP_ALREADY_USED for a transaction spent before.
    /// </summary>
    public async Task<OtpTransaction> ConsumeVerifiedAsync(string txnId, OtpPurpose purpose, MobileNumber destination,
        CancellationToken ct)
    {
        var stored = await FindAsync(txnId, ct).ConfigureAwait(false);
        var txn = stored.Value;
        txn.EnsurePurpose(purpose);
        var destinationHash = await identityHasher.HashMobileAsync(destination, ct).ConfigureAwait(false);
        if (!string.Equals(destinationHash, txn.DestinationHash, StringComparison.Ordinal))
            throw OtpErrors.TxnNotFound();
        txn.Consume(purpose, time);
        await transactions.ReplaceAsync(txn, stored.ETag, ct).ConfigureAwait(false);
        return txn;
    }

    private static void EnsureBelongs(OtpTransaction txn, AbhaNumber? abhaNumber, string? targetHash)
    {
        if (abhaNumber is not null && txn.AbhaNumber != abhaNumber)
            throw OtpErrors.TxnNotFound();
        if (targetHash is not null && !string.Equals(targetHash, txn.TargetHash, StringComparison.Ordinal))
            throw OtpErrors.TxnNotFound();
    }

    private async Task<Versioned<OtpTransaction>> FindAsync(string txnId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(txnId) || !Guid.TryParse(txnId, out _))
            throw OtpErrors.TxnNotFound();
        return await transactions.FindAsync(txnId, ct).ConfigureAwait(false) ?? throw OtpErrors.TxnNotFound();
    }

    private static string SentMessage(MobileNumber destination) => $"OTP is sent to Mobile number ending with {destination.Masked}";

    // Submitted codes are checked for shape before they are hashed, so a 32-character secret can never be matched.
    private ValueTask<string> UnmatchableHashAsync(string txnId, CancellationToken ct) =>
        otpHasher.HashAsync(txnId, "decoy:" + string.Concat(Enumerable.Range(0, 32).Select(_ => (char)('a' + random.NextInt(26)))), ct);

    /// <returns>False when the window is full and <paramref name="conceal"/> asked not to throw OTP_RATE_LIMITED.</returns>
    private async Task<bool> CountRequestAsync(string mobileHash, bool conceal, CancellationToken ct)
    {
        try
        {
            await CountRequestAsync(mobileHash, ct).ConfigureAwait(false);
            return true;
        }
        catch (DomainException e) when (conceal && e.Code == HealthIdErrors.OtpRateLimited)
        {
            return false;
        }
    }

    private async Task CountRequestAsync(string mobileHash, CancellationToken ct)
    {
        // Two requests for the same mobile may race; the loser re-reads and counts again, so none slips past.
        for (var attempt = 1; ; attempt++)
        {
            var stored = await windows.FindAsync(mobileHash, ct).ConfigureAwait(false);
            var window = stored?.Value ?? MobileOtpWindow.Open(mobileHash, policy);
            window.RecordRequest(time, policy);
            try
            {
                await windows.SaveAsync(window, stored?.ETag, ct).ConfigureAwait(false);
                return;
            }
            catch (DomainException e) when (e.Kind == ErrorKind.PreconditionFailed && attempt < WindowSaveTries)
            {
            }
        }
    }
}
