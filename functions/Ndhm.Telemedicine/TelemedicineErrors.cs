using Ndhm.Core.Errors;

namespace Ndhm.Telemedicine;

/// <summary>Telemedicine's stable problem codes (clients switch on them).</summary>
public static class TelemedicineErrors
{
    public const string InvalidAvailability = "INVALID_AVAILABILITY";
    public const string InvalidSearch = "INVALID_TELEMEDICINE_SEARCH";
    public const string InvalidBooking = "INVALID_BOOKING";
    public const string InvalidSlotId = "INVALID_SLOT_ID";
    public const string NotADoctor = "NOT_A_DOCTOR";
    public const string FacilityNotListed = "FACILITY_NOT_LISTED";
    public const string SlotNotFound = "SLOT_NOT_FOUND";
    public const string SlotOverlap = "SLOT_OVERLAP";
    public const string SlotTaken = "SLOT_TAKEN";
    public const string SlotBooked = "SLOT_BOOKED";
    public const string SlotUnavailable = "SLOT_UNAVAILABLE";
    public const string ModeNotOffered = "MODE_NOT_OFFERED";
    public const string AppointmentNotFound = "APPOINTMENT_NOT_FOUND";
    public const string InvalidTransition = "INVALID_APPOINTMENT_STATE";
    public const string HoldExpired = "HOLD_EXPIRED";
    public const string ConsentRequired = "TELECONSULTATION_CONSENT_REQUIRED";
    public const string TooEarly = "CONSULTATION_TOO_EARLY";
    public const string TooLate = "CONSULTATION_WINDOW_OVER";
    public const string InvalidFollowUp = "INVALID_FOLLOW_UP";
    public const string InvalidNotes = "INVALID_CONSULTATION_NOTES";

    public static DomainException Invalid(string code, string detail, string? field = null) =>
        new(ErrorKind.Validation, code, "The request is invalid.", detail,
            field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static DomainException NotFound() =>
        new(ErrorKind.NotFound, AppointmentNotFound, "No such appointment.",
            "There is no appointment with this id that you may see.");

    public static DomainException SlotMissing() =>
        new(ErrorKind.NotFound, SlotNotFound, "No such slot.", "There is no published slot with this id.");

    /// <summary>409 naming the slot and, when known, the state that refused the request.</summary>
    public static DomainException Conflict(string code, string title, string detail, string slotId, string? state = null) =>
        new(ErrorKind.Conflict, code, title, detail,
            new Dictionary<string, object?> { ["slotId"] = slotId, ["state"] = state });

    public static DomainException WrongState(string appointmentId, AppointmentStatus current, string wanted) =>
        new(ErrorKind.Conflict, InvalidTransition, "The appointment is not in a state that allows this.",
            $"Appointment {appointmentId} is {AppointmentStatuses.Name(current)}; {wanted}.",
            new Dictionary<string, object?> { ["appointmentId"] = appointmentId, ["state"] = AppointmentStatuses.Name(current) });
}
