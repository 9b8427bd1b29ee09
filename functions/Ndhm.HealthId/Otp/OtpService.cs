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
    OtpPolicy? policy = null)
{
    private const int WindowSaveTries = 3;
    private readonly OtpPolicy policy = policy ?? OtpPolicy.Default;

    /// <summary>
    /// Sends a new OTP to <paramref name="destination"/>. <paramref name="targetHash"/> is what the OTP proves
    /// (the mobile's own hash for mobile flows, the Aadhaar hash for Aadhaar flows; null means the destination).
    /// Throws OTP_RATE_LIMITED when the mobile had too many OTPs this hour.
    /// </summary>
    public async Task<OtpIssued> RequestAsync(OtpPurpose purpose, MobileNumber destination, string? targetHash,
        AbhaNumber? abhaNumber, CancellationToken ct)
    {
        var destinationHash = await identityHasher.HashMobileAsync(destination, ct).ConfigureAwait(false);
        await CountRequestAsync(destinationHash, ct).ConfigureAwait(false);

        var txnId = OtpTransaction.NewTxnId();
        var otp = OtpCode.Generate(random, policy.Length);
        var otpHash = await otpHasher.HashAsync(txnId, otp, ct).ConfigureAwait(false);
        var txn = OtpTransaction.Issue(txnId, purpose, targetHash ?? destinationHash, otpHash, time, policy, abhaNumber, destinationHash);
        await transactions.CreateAsync(txn, ct).ConfigureAwait(false);
        await sender.SendAsync(new OtpDelivery(destination, otp, purpose, txnId, txn.ExpiresAt), ct).ConfigureAwait(false);
        return new OtpIssued(txnId, $"OTP is sent to Mobile number ending with {destination.Masked}", txn.ExpiresAt);
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
    public async Task<OtpIssued> ResendAsync(string txnId, OtpPurpose purpose, MobileNumber destination, AbhaNumber? abhaNumber,
        string? targetHash, CancellationToken ct)
    {
        var stored = await FindAsync(txnId, ct).ConfigureAwait(false);
        var txn = stored.Value;
        txn.EnsurePurpose(purpose);
        EnsureBelongs(txn, abhaNumber, targetHash);
        var destinationHash = await identityHasher.HashMobileAsync(destination, ct).ConfigureAwait(false);
        if (!string.Equals(destinationHash, txn.DestinationHash, StringComparison.Ordinal))
            throw OtpErrors.TxnNotFound();

        txn.EnsureResendable(time, policy);
        await CountRequestAsync(destinationHash, ct).ConfigureAwait(false);

        var otp = OtpCode.Generate(random, policy.Length);
        txn.Resend(await otpHasher.HashAsync(txn.TxnId, otp, ct).ConfigureAwait(false), time, policy);
        await transactions.ReplaceAsync(txn, stored.ETag, ct).ConfigureAwait(false);
        await sender.SendAsync(new OtpDelivery(destination, otp, txn.Purpose, txn.TxnId, txn.ExpiresAt), ct).ConfigureAwait(false);
        return new OtpIssued(txn.TxnId, $"OTP is sent to Mobile number ending with {destination.Masked}", txn.ExpiresAt);
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
    public async Task<OtpTransaction> VerifyAsync(string txnId, OtpPurpose purpose, string otp, AbhaNumber? abhaNumber,
        CancellationToken ct)
    {
        var stored = await FindAsync(txnId, ct).ConfigureAwait(false);
        var txn = stored.Value;
        txn.EnsurePurpose(purpose);
        EnsureBelongs(txn, abhaNumber, targetHash: null);
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
