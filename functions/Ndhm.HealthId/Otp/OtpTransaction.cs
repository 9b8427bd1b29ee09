using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Otp;

/// <summary>
/// One OTP exchange (ABDM's <c>txnId</c>): issued, perhaps resent, verified at most once. A single document,
/// replaced with ETag If-Match, so two concurrent verifies cannot both succeed or both spend the same attempt.
/// <para>
/// The OTP itself is never held: only its keyed hash (<see cref="IOtpHasher"/>, with the txnId as context), and
/// the target (mobile or Aadhaar) only as an <see cref="Identity.IIdentityHasher"/> hash.
/// </para>
/// </summary>
public sealed class OtpTransaction
{
    [JsonConstructor]
    public OtpTransaction(string id, string pk, string txnId, OtpPurpose purpose, string targetHash, string otpHash,
        DateTimeOffset issuedAt, DateTimeOffset lastSentAt, DateTimeOffset expiresAt, int attempts, int sends,
        OtpTransactionStatus status, DateTimeOffset? verifiedAt, AbhaNumber? abhaNumber, int? ttl,
        string? destinationHash = null, DateTimeOffset? consumedAt = null)
    {
        Id = id;
        Pk = pk;
        TxnId = txnId;
        Purpose = purpose;
        TargetHash = targetHash;
        OtpHash = otpHash;
        IssuedAt = issuedAt;
        LastSentAt = lastSentAt;
        ExpiresAt = expiresAt;
        Attempts = attempts;
        Sends = sends;
        Status = status;
        VerifiedAt = verifiedAt;
        AbhaNumber = abhaNumber;
        Ttl = ttl;
        DestinationHash = destinationHash ?? targetHash;
        ConsumedAt = consumedAt;
    }

    /// <summary>Document id: the txnId.</summary>
    public string Id { get; }

    /// <summary>Partition key: the txnId (every access is a point read by txnId).</summary>
    public string Pk { get; }

    public string TxnId { get; }
    public OtpPurpose Purpose { get; }

    /// <summary>Keyed hash of where the OTP went (mobile, or the Aadhaar number for Aadhaar OTPs).</summary>
    public string TargetHash { get; }

    /// <summary>
    /// Keyed hash of the mobile the code goes to. Usually the target itself; for an Aadhaar OTP it is the
    /// Aadhaar-registered mobile. A resend must go to the same place, or a stranger could redirect the code.
    /// </summary>
    public string DestinationHash { get; }

    /// <summary>Keyed hash of the current code (a resend replaces it).</summary>
    public string OtpHash { get; private set; }

    public DateTimeOffset IssuedAt { get; }
    public DateTimeOffset LastSentAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>Wrong codes submitted so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>Times a code was sent (1 + resends).</summary>
    public int Sends { get; private set; }

    public OtpTransactionStatus Status { get; private set; }
    public DateTimeOffset? VerifiedAt { get; private set; }
    public DateTimeOffset? ConsumedAt { get; private set; }

    /// <summary>The account the transaction acts on (login, mobile update); null while enrolling.</summary>
    public AbhaNumber? AbhaNumber { get; }

    /// <summary>Cosmos time-to-live in seconds.</summary>
    public int? Ttl { get; }

    /// <summary>A fresh, unguessable transaction id (also the context of the OTP hash, so mint it first).</summary>
    public static string NewTxnId() => Guid.NewGuid().ToString("D");

    /// <summary>Starts a transaction whose code, hashed as <paramref name="otpHash"/>, has just been sent.</summary>
    public static OtpTransaction Issue(string txnId, OtpPurpose purpose, string targetHash, string otpHash,
        TimeProvider time, OtpPolicy? policy = null, AbhaNumber? abhaNumber = null, string? destinationHash = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(txnId);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(otpHash);
        policy ??= OtpPolicy.Default;
        var now = time.GetUtcNow();
        return new OtpTransaction(txnId, txnId, txnId, purpose, targetHash, otpHash, now, now, now + policy.Validity,
            attempts: 0, sends: 1, OtpTransactionStatus.Pending, verifiedAt: null, abhaNumber,
            ttl: (int)policy.Retention.TotalSeconds, destinationHash ?? targetHash, consumedAt: null);
    }

    /// <summary>Seconds until a resend is allowed (0 when it is allowed now).</summary>
    public int SecondsUntilResend(TimeProvider time, OtpPolicy? policy = null)
    {
        var wait = LastSentAt + (policy ?? OtpPolicy.Default).ResendAfter - time.GetUtcNow();
        return wait <= TimeSpan.Zero ? 0 : (int)Math.Ceiling(wait.TotalSeconds);
    }

    /// <summary>
    /// Replaces the code with a newly sent one and restarts its validity. Wrong attempts are not forgiven:
    /// the limit is per transaction, or resending would multiply the guesses.
    /// Throws OTP_ALREADY_USED, OTP_ATTEMPTS_EXCEEDED or OTP_RESEND_TOO_SOON (with RetryAfterSeconds).
    /// </summary>
    public void Resend(string newOtpHash, TimeProvider time, OtpPolicy? policy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(newOtpHash);
        policy ??= OtpPolicy.Default;
        EnsureResendable(time, policy);
        var now = time.GetUtcNow();
        OtpHash = newOtpHash;
        LastSentAt = now;
        ExpiresAt = now + policy.Validity;
        Sends++;
    }

    /// <summary>Throws when <see cref="Resend"/> would; call it before generating and sending a new code.</summary>
    public void EnsureResendable(TimeProvider time, OtpPolicy? policy = null)
    {
        policy ??= OtpPolicy.Default;
        if (Status is OtpTransactionStatus.Verified or OtpTransactionStatus.Consumed) throw OtpErrors.AlreadyUsed();
        if (Status == OtpTransactionStatus.Locked) throw OtpErrors.AttemptsExceeded(policy.MaxWrongAttempts);
        var wait = SecondsUntilResend(time, policy);
        if (wait > 0)
        {
            throw new DomainException(ErrorKind.TooManyRequests, HealthIdErrors.OtpResendTooSoon, "OTP resent too soon",
                $"A new OTP can be requested {(int)policy.ResendAfter.TotalSeconds} seconds after the last one; wait {wait} more seconds.")
            {
                RetryAfterSeconds = wait,
            };
        }
    }

    /// <summary>
    /// Checks a submitted code (already hashed with <see cref="IOtpHasher"/> for this txnId) in constant time.
    /// Returns the outcome instead of throwing, because a wrong code changes state (an attempt is spent, perhaps
    /// the transaction locks) and that change must be saved before the error goes back:
    /// <code>var r = txn.Verify(hash, time); if (r.StateChanged) await save(txn); r.ThrowIfFailed();</code>
    /// </summary>
    public OtpVerification Verify(string submittedOtpHash, TimeProvider time, OtpPolicy? policy = null)
    {
        policy ??= OtpPolicy.Default;
        if (Status is OtpTransactionStatus.Verified or OtpTransactionStatus.Consumed)
            return OtpVerification.Failed(OtpErrors.AlreadyUsed(), stateChanged: false);
        if (Status == OtpTransactionStatus.Locked)
            return OtpVerification.Failed(OtpErrors.AttemptsExceeded(policy.MaxWrongAttempts), stateChanged: false);

        var now = time.GetUtcNow();
        if (now >= ExpiresAt)
            return OtpVerification.Failed(OtpErrors.Expired(policy), stateChanged: false);

        if (!HashesEqual(submittedOtpHash, OtpHash))
        {
            Attempts++;
            var left = Math.Max(0, policy.MaxWrongAttempts - Attempts);
            if (left == 0)
            {
                Status = OtpTransactionStatus.Locked;
                return OtpVerification.Failed(OtpErrors.AttemptsExceeded(policy.MaxWrongAttempts), stateChanged: true);
            }
            return OtpVerification.Failed(OtpErrors.Invalid(left), stateChanged: true, attemptsLeft: left);
        }

        Status = OtpTransactionStatus.Verified;
        VerifiedAt = now;
        return OtpVerification.Success();
    }

    /// <summary>
    /// Rejects a transaction minted for another purpose as if it did not exist (TXN_NOT_FOUND), so an
    /// enrolment txnId cannot be walked into a mobile update.
    /// </summary>
    public void EnsurePurpose(OtpPurpose expected)
    {
        if (Purpose != expected) throw OtpErrors.TxnNotFound();
    }

    /// <summary>Throws unless the transaction was verified (the step after OTP, e.g. creating the account, calls this).</summary>
    public void EnsureVerified(OtpPurpose expected)
    {
        EnsurePurpose(expected);
        if (Status == OtpTransactionStatus.Consumed)
            throw OtpErrors.AlreadyUsed();
        if (Status != OtpTransactionStatus.Verified)
            throw new DomainException(ErrorKind.Forbidden, HealthIdErrors.OtpInvalid, "OTP not verified",
                "This transaction has not been verified with its OTP yet.");
    }

    /// <summary>
    /// Spends a verified transaction on the step it unlocks (for example opening a mobile-only account), so one OTP
    /// cannot open two. Save it with If-Match before acting: of two racing uses only one can save.
    /// Throws OTP_ALREADY_USED when it was spent before, or when it is not verified.
    /// </summary>
    public void Consume(OtpPurpose expected, TimeProvider time)
    {
        EnsureVerified(expected);
        Status = OtpTransactionStatus.Consumed;
        ConsumedAt = time.GetUtcNow();
    }

    private static bool HashesEqual(string a, string b)
    {
        // Compare the bytes of the hex strings: same length for every valid hash, and FixedTimeEquals does not
        // stop at the first difference, so timing tells an attacker nothing about how close a guess was.
        var x = System.Text.Encoding.ASCII.GetBytes(a);
        var y = System.Text.Encoding.ASCII.GetBytes(b);
        return CryptographicOperations.FixedTimeEquals(x, y);
    }
}

/// <summary>The outcome of <see cref="OtpTransaction.Verify"/>.</summary>
public sealed record OtpVerification
{
    private OtpVerification(bool succeeded, bool stateChanged, DomainException? error, int? attemptsLeft)
    {
        Succeeded = succeeded;
        StateChanged = stateChanged;
        Error = error;
        AttemptsLeft = attemptsLeft;
    }

    public bool Succeeded { get; }

    /// <summary>True when the transaction must be saved (success, or a spent attempt).</summary>
    public bool StateChanged { get; }

    /// <summary>The error to return when not <see cref="Succeeded"/>.</summary>
    public DomainException? Error { get; }

    /// <summary>Wrong tries still allowed, after an OTP_INVALID.</summary>
    public int? AttemptsLeft { get; }

    public string? ErrorCode => Error?.Code;

    public void ThrowIfFailed()
    {
        if (Error is not null) throw Error;
    }

    internal static OtpVerification Success() => new(true, true, null, null);

    internal static OtpVerification Failed(DomainException error, bool stateChanged, int? attemptsLeft = null) =>
        new(false, stateChanged, error, attemptsLeft);
}

/// <summary>The OTP errors, built in one place so every path words them the same way.</summary>
public static class OtpErrors
{
    public static DomainException Invalid(int attemptsLeft) =>
        new(ErrorKind.Validation, HealthIdErrors.OtpInvalid, "OTP is wrong",
            $"The OTP does not match; {attemptsLeft} {(attemptsLeft == 1 ? "attempt" : "attempts")} left.",
            new Dictionary<string, object?> { ["attemptsLeft"] = attemptsLeft });

    /// <summary>A submitted OTP that is not even the right shape: no attempt is spent on it.</summary>
    public static DomainException Malformed(int length) =>
        new(ErrorKind.Validation, HealthIdErrors.OtpInvalid, "OTP is wrong", $"An OTP is exactly {length} digits.");

    public static DomainException Expired(OtpPolicy policy) =>
        new(ErrorKind.Gone, HealthIdErrors.OtpExpired, "OTP has expired",
            $"An OTP is valid for {(int)policy.Validity.TotalMinutes} minutes after it is sent; request a new one.");

    public static DomainException AttemptsExceeded(int maxWrongAttempts) =>
        new(ErrorKind.Forbidden, HealthIdErrors.OtpAttemptsExceeded, "Too many wrong OTPs",
            $"{maxWrongAttempts} wrong OTPs were entered, so this transaction is locked; start a new one.",
            new Dictionary<string, object?> { ["attemptsLeft"] = 0 });

    public static DomainException AlreadyUsed() =>
        new(ErrorKind.Conflict, HealthIdErrors.OtpAlreadyUsed, "OTP already used",
            "This transaction was already verified; an OTP works once.");

    public static DomainException TxnNotFound() =>
        new(ErrorKind.NotFound, HealthIdErrors.TxnNotFound, "Transaction not found",
            "No OTP transaction with this txnId exists (it may have been removed after its retention period).");
}
