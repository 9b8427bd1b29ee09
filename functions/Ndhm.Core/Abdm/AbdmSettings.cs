using System.Globalization;

namespace Ndhm.Core.Abdm;

/// <summary>
/// The consent manager's identity and the Health Information Exchange's lifetimes, from configuration section
/// <c>Abdm</c> (<c>Abdm__CmId</c>, <c>Abdm__OtpLifetime=00:10:00</c>...). Every lifetime integrators rely on is
/// read from here, never hard-coded at its use.
/// </summary>
public sealed class AbdmSettings
{
    public const string Section = "Abdm";

    /// <summary>The gateway's older setting for the X-CM-ID of callbacks, read when <c>Abdm__CmId</c> is not set.</summary>
    public const string GatewayCmIdSetting = "Gateway__CmId";

    /// <summary>The consent manager id partners send in <c>X-CM-ID</c> and the suffix of its ABHA addresses.</summary>
    public string CmId { get; set; } = "sbx";

    /// <summary>An OTP sent for patient authentication or linking stays valid this long.</summary>
    public TimeSpan OtpLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A new OTP for the same transaction may be asked for after this long.</summary>
    public TimeSpan OtpResendAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Wrong OTP or demographic answers allowed per transaction before it is closed.</summary>
    public int OtpMaxAttempts { get; set; } = 3;

    /// <summary>A patient-authentication transaction (users/auth/init to confirm) stays open this long.</summary>
    public TimeSpan AuthTransactionLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The access token a users/auth/confirm for LINK returns is valid this long.</summary>
    public TimeSpan AuthAccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A link token (v3 token/generate-token) is valid this long.</summary>
    public TimeSpan LinkTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A HIP answers care-contexts/discover within this, else the requester gets ABDM-1401.</summary>
    public TimeSpan DiscoveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A link request carries at most this many care contexts (and at least one).</summary>
    public int MaxCareContextsPerLink { get; set; } = 20;

    /// <summary>Emergency (BTG) access lasts this long.</summary>
    public TimeSpan BreakTheGlassLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A facility QR for scan and share stays valid this long after it is issued.</summary>
    public TimeSpan FacilityQrLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>A profile share waits this long for the HIP's on-share before the patient is told it timed out.</summary>
    public TimeSpan ProfileShareTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Reads the settings through <paramref name="read"/> (setting name such as <c>Abdm__OtpLifetime</c> to its value,
    /// null when unset); a value that does not parse stops the host at start rather than running with a guess.
    /// </summary>
    public static AbdmSettings From(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var defaults = new AbdmSettings();
        return new AbdmSettings
        {
            // One consent manager id for requests and callbacks: Abdm__CmId, else the gateway's callback setting.
            CmId = (read(Name(nameof(CmId))) ?? read(GatewayCmIdSetting)) is { } cm && !string.IsNullOrWhiteSpace(cm) ? cm.Trim() : defaults.CmId,
            OtpLifetime = Span(read, nameof(OtpLifetime), defaults.OtpLifetime),
            OtpResendAfter = Span(read, nameof(OtpResendAfter), defaults.OtpResendAfter),
            OtpMaxAttempts = Int(read, nameof(OtpMaxAttempts), defaults.OtpMaxAttempts),
            AuthTransactionLifetime = Span(read, nameof(AuthTransactionLifetime), defaults.AuthTransactionLifetime),
            AuthAccessTokenLifetime = Span(read, nameof(AuthAccessTokenLifetime), defaults.AuthAccessTokenLifetime),
            LinkTokenLifetime = Span(read, nameof(LinkTokenLifetime), defaults.LinkTokenLifetime),
            DiscoveryTimeout = Span(read, nameof(DiscoveryTimeout), defaults.DiscoveryTimeout),
            MaxCareContextsPerLink = Int(read, nameof(MaxCareContextsPerLink), defaults.MaxCareContextsPerLink),
            BreakTheGlassLifetime = Span(read, nameof(BreakTheGlassLifetime), defaults.BreakTheGlassLifetime),
            FacilityQrLifetime = Span(read, nameof(FacilityQrLifetime), defaults.FacilityQrLifetime),
            ProfileShareTimeout = Span(read, nameof(ProfileShareTimeout), defaults.ProfileShareTimeout),
        };
    }

    /// <summary>The setting name of a property: <c>Abdm__OtpLifetime</c>.</summary>
    public static string Name(string property) => Section + "__" + property;

    private static TimeSpan Span(Func<string, string?> read, string property, TimeSpan fallback)
    {
        var value = read(Name(property));
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        return TimeSpan.TryParse(value.Trim(), CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new InvalidOperationException($"{Name(property)} must be a positive time span such as 00:10:00.");
    }

    private static int Int(Func<string, string?> read, string property, int fallback)
    {
        var value = read(Name(property));
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        return int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new InvalidOperationException($"{Name(property)} must be a positive whole number.");
    }
}
