using Ndhm.HealthId.Identity;

namespace Ndhm.HealthId.Otp;

/// <summary>An OTP as the sandbox's SMS outbox recorded it (sandbox only: it holds the code in clear).</summary>
public sealed record SentOtp(string TxnId, string Otp, OtpPurpose Purpose, DateTimeOffset SentAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Port: the OTPs "sent" to a mobile, for test harnesses and developers. Only the sandbox has one; elsewhere it
/// answers 404 as if the endpoint did not exist.
/// </summary>
public interface IOtpOutbox
{
    /// <summary>The latest <paramref name="max"/> OTPs sent to <paramref name="mobile"/>, newest first.</summary>
    Task<IReadOnlyList<SentOtp>> ReadAsync(MobileNumber mobile, int max, CancellationToken ct);
}
