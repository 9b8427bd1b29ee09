namespace Ndhm.Linking;

/// <summary>Linking's lifetimes and limits; every one is a setting (<c>Linking__*</c>).</summary>
public sealed record LinkingOptions
{
    /// <summary>How long a HIP has to answer discovery before the patient gets ABDM-1401 (ABDM: 10 s).</summary>
    public TimeSpan DiscoveryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a discovery's result may be used to start linking.</summary>
    public TimeSpan DiscoveryLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a HIP has to answer link init / confirm before the request counts as unanswered.</summary>
    public TimeSpan HipAnswerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>OTP lifetime when the HIP does not say (ABDM: 10 minutes).</summary>
    public TimeSpan OtpLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A HIP-initiated link token's lifetime (ABDM: 24 h).</summary>
    public TimeSpan LinkTokenLifetime { get; init; } = TimeSpan.FromHours(24);

    public int MaxCareContextsPerLink { get; init; } = 20;

    /// <summary>HIPs for which the platform sends and checks the linking OTP itself (MEDIATE), whatever on-init says.</summary>
    public IReadOnlySet<string> PlatformOtpHips { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Base URL of the patient app, for the SMS deep link after HIP-initiated linking.</summary>
    public string PatientAppUrl { get; init; } = "https://phr.sandbox.local/links";
}
