namespace Ndhm.Telemedicine;

/// <summary>Settings <c>Telemedicine__*</c>; the defaults are the sandbox's and the documented rules.</summary>
public sealed class TelemedicineOptions
{
    /// <summary>How long <c>init</c> holds a slot for the patient to confirm (pay).</summary>
    public int HoldMinutes { get; set; } = 10;

    /// <summary>Reminder this long before the start.</summary>
    public int ReminderLeadMinutes { get; set; } = 30;

    /// <summary>Lifetime of a join token.</summary>
    public int JoinTokenMinutes { get; set; } = 5;

    /// <summary>The doctor may start (and participants get join tokens) this long before the slot.</summary>
    public int EarlyStartMinutes { get; set; } = 10;

    /// <summary>The patient may record the doctor's no-show once the doctor has not started this long after the start.</summary>
    public int DoctorNoShowGraceMinutes { get; set; } = 15;

    /// <summary>The doctor may record the patient's no-show this long after the start.</summary>
    public int PatientNoShowGraceMinutes { get; set; } = 10;

    /// <summary>
    /// The no-show sweep marks a confirmed consultation the doctor has not started this long after its start as the
    /// doctor's no-show (full refund). Never less than <see cref="DoctorNoShowGraceMinutes"/>.
    /// </summary>
    public int NoShowSweepGraceMinutes { get; set; } = 30;

    /// <summary>A patient cancelling at least this long before the start gets the whole fee back; later, <see cref="LateCancellationRefundPercent"/>.</summary>
    public int FullRefundHoursBefore { get; set; } = 2;

    public int LateCancellationRefundPercent { get; set; } = 50;

    /// <summary>What a patient who does not appear gets back.</summary>
    public int PatientNoShowRefundPercent { get; set; }

    /// <summary>A follow-up (same doctor, same condition) counts within this many days of the earlier consultation.</summary>
    public int FollowUpDays { get; set; } = 180;

    public int MaxSlotsPerPublish { get; set; } = 96;

    /// <summary>How far ahead a doctor may publish.</summary>
    public int MaxDaysAhead { get; set; } = 90;

    /// <summary>Largest call signal (an SDP offer with video is a few KB), in UTF-8 bytes.</summary>
    public int SignalMaxBytes { get; set; } = 16384;

    /// <summary>Signals one consultation may relay in all (both participants, every reconnection).</summary>
    public int MaxSignalsPerConsultation { get; set; } = 500;

    /// <summary>Signals returned by one read.</summary>
    public int SignalPageSize { get; set; } = 100;

    /// <summary>Signals are kept this long after the consultation's end (or after they were sent, for a call that runs over).</summary>
    public int SignalGraceMinutes { get; set; } = 30;

    /// <summary>
    /// The ICE servers (STUN/TURN) the call page gives to the browser's RTCPeerConnection, as WebRTC's <c>iceServers</c>
    /// JSON (e.g. <c>[{"urls":"stun:stun.example.org:3478"}]</c>). None by default: host candidates only, so calls connect
    /// on one machine or one LAN; across NATs a deployment configures STUN and a TURN relay.
    /// </summary>
    public string IceServers { get; set; } = "[]";
}
