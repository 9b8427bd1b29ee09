namespace Ndhm.HealthId.Otp;

/// <summary>
/// The OTP rules. The defaults are the platform's policy; a deployment may tighten them, tests may shorten them.
/// </summary>
public sealed record OtpPolicy
{
    public static OtpPolicy Default { get; } = new();

    /// <summary>Digits in an OTP.</summary>
    public int Length { get; init; } = 6;

    /// <summary>How long an OTP can be verified after it was sent.</summary>
    public TimeSpan Validity { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Wrong tries per transaction; the last one locks it. With 10^6 codes, 3 tries give a 3-in-a-million guess.</summary>
    public int MaxWrongAttempts { get; init; } = 3;

    /// <summary>Minimum gap between two sends of the same transaction.</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>OTP requests (first sends and resends) per mobile number within <see cref="RateWindow"/>.</summary>
    public int MaxRequestsPerMobile { get; init; } = 5;

    public TimeSpan RateWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a transaction document is kept (Cosmos <c>ttl</c>); replays inside it get OTP_ALREADY_USED.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(1);
}
