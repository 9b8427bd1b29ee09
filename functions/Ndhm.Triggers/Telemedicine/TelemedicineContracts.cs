using Ndhm.Telemedicine;

namespace Ndhm.Triggers.Telemedicine;

public sealed record SlotList(IReadOnlyList<SlotView> Slots);

/// <param name="State">open, held (an appointment holds it) or withdrawn.</param>
public sealed record SlotView(
    string SlotId,
    string DoctorHprId,
    string DoctorName,
    string FacilityId,
    string FacilityName,
    DateTimeOffset Start,
    int DurationMinutes,
    decimal FeeInr,
    string Specialty,
    IReadOnlyList<string> Languages,
    IReadOnlyList<string> Modes,
    string State,
    string? AppointmentId)
{
    public static SlotView From(Slot slot, DateTimeOffset now) => new(slot.Id, slot.DoctorHprId, slot.DoctorName, slot.FacilityId, slot.FacilityName,
        slot.Start, slot.DurationMinutes, slot.FeePaise / 100m, slot.Specialty, slot.Languages, slot.Modes.Select(ConsultationModes.Name).ToList(),
        slot.Withdrawn ? "withdrawn" : slot.IsHeld(now) ? "held" : "open", slot.IsHeld(now) ? slot.Hold!.AppointmentId : null);
}

public sealed record SlotIdRequest(string? SlotId);

public sealed record AppointmentIdRequest(string? AppointmentId);

public sealed record ReasonRequest(string? Reason);

public sealed record OfferList(IReadOnlyList<SlotOffer> Offers);

public sealed record AppointmentList(IReadOnlyList<AppointmentView> Appointments);

public sealed record RefundView(decimal AmountInr, string Rule, DateTimeOffset At, string? Reference);

public sealed record ConsentView(DateTimeOffset GivenAt, string Mode, string Statement);

/// <summary>
/// An appointment (= consultation) as its patient and doctor see it. <c>status</c>: INITIATED (slot held until
/// <c>holdExpiresAt</c>), CONFIRMED, IN_PROGRESS, COMPLETED, CANCELLED, EXPIRED (not confirmed in time),
/// PATIENT_NO_SHOW, DOCTOR_NO_SHOW.
/// </summary>
public sealed record AppointmentView(
    string AppointmentId,
    string SlotId,
    string Status,
    string DoctorHprId,
    string DoctorName,
    string FacilityId,
    string PatientAbhaNumber,
    string Mode,
    string Specialty,
    DateTimeOffset Start,
    int DurationMinutes,
    decimal FeeInr,
    DateTimeOffset? HoldExpiresAt,
    string? FollowUpOf,
    string? ConditionCode,
    ConsentView? TeleconsultationConsent,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset? CancelledAt,
    string? CancelledBy,
    string? CancellationReason,
    RefundView? Refund,
    bool HasRecord)
{
    public static AppointmentView From(Appointment a, DateTimeOffset now)
    {
        var lapsed = a.Status == AppointmentStatus.Initiated && now >= a.HoldExpiresAt;
        var n = a.PatientNumber;
        return new AppointmentView(a.Id, a.SlotId, AppointmentStatuses.Name(lapsed ? AppointmentStatus.Expired : a.Status), a.DoctorHprId, a.DoctorName,
            a.FacilityId, $"{n[..2]}-{n[2..6]}-{n[6..10]}-{n[10..]}", ConsultationModes.Name(a.Mode), a.Specialty, a.Start, a.DurationMinutes,
            a.FeePaise / 100m, a.Status == AppointmentStatus.Initiated ? a.HoldExpiresAt : null, a.FollowUpOf, a.ConditionCode,
            a.Consent is { } c ? new ConsentView(c.GivenAt, ConsultationModes.Name(c.Mode), c.Statement) : null,
            a.ConfirmedAt, a.StartedAt, a.EndedAt, a.CancelledAt, a.CancelledBy, a.CancellationReason,
            a.Refund is { } r ? new RefundView(r.AmountPaise / 100m, r.Rule, r.At, r.Reference) : null, a.NotesRecordId is not null);
    }
}


/// <param name="IceServers">The STUN/TURN servers the browsers use (<c>Telemedicine__IceServers</c>); empty by default: host candidates only.</param>
public sealed record JoinTokenResponse(string Token, string Audience, DateTimeOffset ExpiresAt, IReadOnlyList<IceServer> IceServers);

/// <param name="Type">offer, answer, candidate or bye.</param>
/// <param name="Payload">The WebRTC object as JSON text (an RTCSessionDescriptionInit for offer and answer, an RTCIceCandidateInit for candidate;
/// empty for bye). JSON text, not raw SDP, so its line breaks travel escaped.</param>
public sealed record SignalRequest(string? Type, [property: System.ComponentModel.DataAnnotations.MaxLength(16384)] string? Payload);

public sealed record SignalView(long Sequence, string From, string Type, string Payload, DateTimeOffset At)
{
    public static SignalView Of(Signal s) => new(s.Sequence, s.From, s.Type, s.Payload, s.At);
}

/// <param name="Cursor">Ask again with <c>after</c> = this.</param>
public sealed record SignalList(IReadOnlyList<SignalView> Signals, long Cursor);
