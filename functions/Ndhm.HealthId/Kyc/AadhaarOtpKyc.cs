using Ndhm.Core.Errors;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Otp;

namespace Ndhm.HealthId.Kyc;

/// <summary>The answer to an Aadhaar OTP request (ABDM: <c>txnId</c> and "OTP is sent to Aadhaar registered mobile ...").</summary>
public sealed record KycOtpSent(string TxnId, string Message, DateTimeOffset ExpiresAt);

/// <summary>A KYC answer released by a verified Aadhaar OTP, with the keyed hash used for deduplication.</summary>
public sealed record VerifiedKyc(KycRecord Record, string AadhaarHash);

/// <summary>
/// Port: Aadhaar e-KYC as UIDAI runs it. The demographics are released only by a correct OTP sent to the
/// Aadhaar-registered mobile, so the enrolment step (ABDM <c>enrol/byAadhaar</c>: txnId + OTP) gets them from
/// <see cref="VerifyOtpAsync"/> and the Aadhaar number itself never has to be kept between the two calls.
/// </summary>
public interface IAadhaarKyc
{
    Task<KycOtpSent> SendOtpAsync(AadhaarNumber aadhaar, CancellationToken ct);

    /// <summary>
    /// Sends a new code for the transaction <paramref name="txnId"/> that <see cref="SendOtpAsync"/> started for
    /// <paramref name="aadhaar"/> (ABDM: the same <c>request/otp</c> with the <c>txnId</c>). The OTP rules apply:
    /// OTP_RESEND_TOO_SOON within a minute of the last send, OTP_RATE_LIMITED past the mobile's hourly limit,
    /// TXN_NOT_FOUND for a transaction of another Aadhaar or flow.
    /// </summary>
    Task<KycOtpSent> ResendOtpAsync(string txnId, AadhaarNumber aadhaar, CancellationToken ct);

    /// <summary>Throws the OTP errors (OTP_INVALID, OTP_EXPIRED, ...) or returns the KYC answer.</summary>
    Task<VerifiedKyc> VerifyOtpAsync(string txnId, string otp, CancellationToken ct);
}

/// <summary>
/// The sandbox's UIDAI: the OTP goes through our own <see cref="OtpService"/> (purpose AadhaarEnrolment, target =
/// the Aadhaar hash, destination = the identity's registered mobile), and the demographics come from
/// <see cref="SimulatedKycProvider"/>. An Aadhaar number it does not know gets KYC_NOT_FOUND.
/// </summary>
public sealed class SimulatedAadhaarKyc(SimulatedKycProvider directory, OtpService otp, IIdentityHasher hasher) : IAadhaarKyc
{
    private readonly SemaphoreSlim indexLock = new(1, 1);
    private Dictionary<string, KycRecord>? byHash;

    public async Task<KycOtpSent> SendOtpAsync(AadhaarNumber aadhaar, CancellationToken ct)
    {
        var record = await directory.FindAsync(aadhaar, ct).ConfigureAwait(false) ?? throw NotFound();
        var aadhaarHash = await hasher.HashAadhaarAsync(aadhaar, ct).ConfigureAwait(false);
        var issued = await otp.RequestAsync(OtpPurpose.AadhaarEnrolment, record.Mobile, aadhaarHash, null, ct).ConfigureAwait(false);
        return Sent(issued, record);
    }

    public async Task<KycOtpSent> ResendOtpAsync(string txnId, AadhaarNumber aadhaar, CancellationToken ct)
    {
        var record = await directory.FindAsync(aadhaar, ct).ConfigureAwait(false) ?? throw NotFound();
        var aadhaarHash = await hasher.HashAadhaarAsync(aadhaar, ct).ConfigureAwait(false);
        var issued = await otp.ResendAsync(txnId, OtpPurpose.AadhaarEnrolment, record.Mobile, abhaNumber: null, aadhaarHash, ct)
            .ConfigureAwait(false);
        return Sent(issued, record);
    }

    public async Task<VerifiedKyc> VerifyOtpAsync(string txnId, string code, CancellationToken ct)
    {
        var txn = await otp.VerifyAsync(txnId, OtpPurpose.AadhaarEnrolment, code, ct).ConfigureAwait(false);
        var index = await IndexAsync(ct).ConfigureAwait(false);
        return index.TryGetValue(txn.TargetHash, out var record)
            ? new VerifiedKyc(record, txn.TargetHash)
            : throw NotFound();
    }

    private async Task<Dictionary<string, KycRecord>> IndexAsync(CancellationToken ct)
    {
        if (byHash is not null) return byHash;
        await indexLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (byHash is not null) return byHash;
            var index = new Dictionary<string, KycRecord>(StringComparer.Ordinal);
            foreach (var (digits, record) in directory.ByDigits)
                index[await hasher.HashAadhaarAsync(AadhaarNumber.Parse(digits), ct).ConfigureAwait(false)] = record;
            return byHash = index;
        }
        finally
        {
            indexLock.Release();
        }
    }

    private static KycOtpSent Sent(OtpIssued issued, KycRecord record) =>
        new(issued.TxnId, $"OTP is sent to Aadhaar registered mobile number ending with {record.Mobile.Masked}", issued.ExpiresAt);

    private static DomainException NotFound() =>
        new(ErrorKind.Validation, HealthIdErrors.KycNotFound, "Aadhaar not known",
            "The KYC provider has no identity for this Aadhaar number; check the number that was entered.");
}
