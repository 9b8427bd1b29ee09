namespace Ndhm.Consent;

/// <summary>Settings <c>Consent__*</c>.</summary>
public sealed class ConsentOptions
{
    /// <summary><c>Consent__RequestLifetimeHours</c>: an undecided request expires after this (default 72).</summary>
    public int RequestLifetimeHours { get; set; } = 72;

    /// <summary><c>Consent__EmergencyHours</c>: emergency (BTG) access lasts at most this long (default 24).</summary>
    public int EmergencyHours { get; set; } = 24;

    /// <summary><c>Gateway__CmId</c>: the consent manager's id in artefacts (<c>consentManager.id</c>).</summary>
    public string CmId { get; set; } = "sbx";

    /// <summary>Expiry and notification sweeps take at most this many records per run.</summary>
    public int SweepBatch { get; set; } = 100;

    /// <summary>A transition whose notifications were not handed over after this long is sent again by the sweep.</summary>
    public TimeSpan RenotifyAfter { get; set; } = TimeSpan.FromMinutes(1);
}
