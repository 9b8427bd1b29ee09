using Ndhm.Telemedicine;

namespace Ndhm.Infrastructure.Telemedicine;

/// <summary>
/// A published slot in the <c>telemedicine</c> container: id = pk = <c>slot:&lt;slotId&gt;</c>. Public availability (the
/// doctor's public register entry, the facility, time, fee), so plaintext; the hold names only an appointment id.
/// The lower-case copies and epoch fields are what searches filter on. <c>holdUntil</c>: the unconfirmed hold's
/// expiry, <see cref="ConfirmedHold"/> for a confirmed one, absent when free.
/// </summary>
internal sealed record SlotDocument(
    string Id,
    string Pk,
    string DocType,
    Slot Slot,
    string DoctorHprId,
    long StartMs,
    string DoctorNameLower,
    string SpecialtyLower,
    IReadOnlyList<string> LanguagesLower,
    IReadOnlyList<string> Modes,
    long FeePaise,
    bool Withdrawn,
    long? HoldUntil,
    double? Latitude,
    double? Longitude)
{
    public const string Type = "teleSlot";
    public const long ConfirmedHold = 253402300799000; // 9999-12-31T23:59:59Z

    public static string IdOf(string slotId) => "slot:" + slotId;

    public static SlotDocument From(Slot slot)
    {
        var id = IdOf(slot.Id);
        return new SlotDocument(id, id, Type, slot, slot.DoctorHprId, slot.Start.ToUnixTimeMilliseconds(), slot.DoctorName.ToLowerInvariant(),
            slot.Specialty.ToLowerInvariant(), slot.Languages.Select(l => l.ToLowerInvariant()).ToList(),
            slot.Modes.Select(ConsultationModes.Name).ToList(), slot.FeePaise, slot.Withdrawn,
            slot.Hold is null ? null : slot.Hold.ExpiresAt?.ToUnixTimeMilliseconds() ?? ConfirmedHold, slot.Latitude, slot.Longitude);
    }
}

/// <summary>
/// An appointment: id = pk = <c>appointment:&lt;id&gt;</c>. Plaintext: what queries need (doctor HPR id, public; the
/// patient's keyed hash, never the ABHA number; status; start; reminder due). The record (patient, consent, notes
/// reference, refund) is one <c>enc:v1</c> field under the patient's data key named by <c>subject</c>.
/// </summary>
internal sealed record AppointmentDocument(
    string Id,
    string Pk,
    string DocType,
    string AppointmentId,
    string Subject,
    string PatientKey,
    string DoctorHprId,
    string Status,
    long StartMs,
    long CreatedAtMs,
    long? ReminderDueMs,
    string Record)
{
    public const string Type = "teleAppointment";
    public const string RecordField = "record";

    public static string IdOf(string appointmentId) => "appointment:" + appointmentId;
}

/// <summary>The OPConsultRecord bundle of a consultation: id = pk = <c>consultation-record:&lt;appointmentId&gt;</c>, the bundle encrypted for the patient.</summary>
internal sealed record ConsultationRecordDocument(string Id, string Pk, string DocType, string Subject, long CreatedAtMs, string Bundle)
{
    public const string Type = "teleConsultationRecord";
    public const string BundleField = "bundle";

    public static string IdOf(string appointmentId) => "consultation-record:" + appointmentId;
}

/// <summary>A payment or refund recorded against an appointment (amounts only): id = pk = <c>payment:&lt;kind&gt;:&lt;appointmentId&gt;</c>.</summary>
internal sealed record PaymentDocument(string Id, string Pk, string DocType, string AppointmentId, string Kind, long AmountPaise, string Reference,
    string? Rule, long AtMs)
{
    public const string Type = "telePayment";

    public static string IdOf(string kind, string appointmentId) => "payment:" + kind + ":" + appointmentId;
}

/// <summary>A reminder handed to the notification channel (the sandbox's outbox): id = pk = <c>reminder:&lt;appointmentId&gt;</c>.</summary>
internal sealed record ReminderDocument(string Id, string Pk, string DocType, string AppointmentId, string DoctorHprId, long StartMs, long SentAtMs, int Ttl)
{
    public const string Type = "teleReminder";

    public static string IdOf(string appointmentId) => "reminder:" + appointmentId;
}
