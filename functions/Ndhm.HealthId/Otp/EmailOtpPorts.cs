namespace Ndhm.HealthId.Otp;

/// <summary>An email OTP to deliver (an email gateway in Azure; the sandbox records it in its outbox).</summary>
public sealed record EmailOtpDelivery(string To, string Otp, OtpPurpose Purpose, string TxnId, DateTimeOffset ExpiresAt);

/// <summary>Port: delivers an email OTP. Implementations must not log the code or the address.</summary>
public interface IEmailOtpSender
{
    Task SendAsync(EmailOtpDelivery delivery, CancellationToken ct);
}

/// <summary>
/// Port: the email OTPs "sent" to an address, for test harnesses and developers, like <see cref="IOtpOutbox"/> for SMS.
/// Only the sandbox has one; elsewhere it answers 404.
/// </summary>
public interface IEmailOutbox
{
    /// <summary>The latest <paramref name="max"/> OTPs sent to <paramref name="email"/>, newest first.</summary>
    Task<IReadOnlyList<SentOtp>> ReadAsync(string email, int max, CancellationToken ct);
}
