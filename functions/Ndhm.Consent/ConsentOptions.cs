namespace Ndhm.Consent;

/// <summary>Settings <c>Consent__*</c>.</summary>
public sealed class ConsentOptions
{
    /// <summary><c>Consent__RequestLifetimeHours</c>: an undecided request expires after this (default 72).</summary>
    public int RequestLifetimeHours { get; set; } = 72;

    /// <summary><c>Abdm__BreakTheGlassLifetime</c>: emergency (BTG) access lasts at most this long (default 24 h).</summary>
    public TimeSpan EmergencyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary><c>Abdm__CmId</c> (else <c>Gateway__CmId</c>): the consent manager's id in artefacts (<c>consentManager.id</c>).</summary>
    public string CmId { get; set; } = "sbx";

    /// <summary><c>Consent__AckTimeoutSeconds</c>: a notification no <c>on-notify</c> acknowledged after this is sent again (default 300).</summary>
    public int AckTimeoutSeconds { get; set; } = 300;

    /// <summary>How many times an unacknowledged notification is sent again before it is left (visible in the partner's deliveries).</summary>
    public int MaxResends { get; set; } = 3;

    /// <summary>Expiry and notification sweeps take at most this many records per run.</summary>
    public int SweepBatch { get; set; } = 100;

    /// <summary>A transition whose notifications were not handed over after this long is sent again by the sweep.</summary>
    public TimeSpan RenotifyAfter { get; set; } = TimeSpan.FromMinutes(1);
}
