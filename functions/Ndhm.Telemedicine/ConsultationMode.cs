using Ndhm.Core.Errors;

namespace Ndhm.Telemedicine;

/// <summary>How a teleconsultation is held (Telemedicine Practice Guidelines 2020: video, audio, text/chat).</summary>
public enum ConsultationMode
{
    Video,
    Audio,
    Chat,
}

public static class ConsultationModes
{
    public static string Name(ConsultationMode mode) => mode switch
    {
        ConsultationMode.Video => "video",
        ConsultationMode.Audio => "audio",
        _ => "chat",
    };

    public static ConsultationMode Parse(string? value, string field) =>
        value?.Trim().ToLowerInvariant() switch
        {
            "video" => ConsultationMode.Video,
            "audio" => ConsultationMode.Audio,
            "chat" or "text" => ConsultationMode.Chat,
            _ => throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidBooking, $"{field} must be video, audio or chat.", field),
        };
}

public enum AppointmentStatus
{
    /// <summary>init: the slot is held for the patient until the hold expires; not yet paid or confirmed.</summary>
    Initiated,
    Confirmed,
    InProgress,
    Completed,
    Cancelled,
    /// <summary>Hold lapsed without a confirm; the slot is free again.</summary>
    Expired,
    PatientNoShow,
    DoctorNoShow,
}

public static class AppointmentStatuses
{
    public static string Name(AppointmentStatus status) => status switch
    {
        AppointmentStatus.Initiated => "INITIATED",
        AppointmentStatus.Confirmed => "CONFIRMED",
        AppointmentStatus.InProgress => "IN_PROGRESS",
        AppointmentStatus.Completed => "COMPLETED",
        AppointmentStatus.Cancelled => "CANCELLED",
        AppointmentStatus.Expired => "EXPIRED",
        AppointmentStatus.PatientNoShow => "PATIENT_NO_SHOW",
        _ => "DOCTOR_NO_SHOW",
    };

    public static AppointmentStatus Parse(string value) =>
        Enum.GetValues<AppointmentStatus>().FirstOrDefault(s => Name(s) == value, (AppointmentStatus)(-1)) is var s && Enum.IsDefined(s)
            ? s
            : throw new DomainException(ErrorKind.Validation, TelemedicineErrors.InvalidSearch, "Unknown appointment status.", $"status {value} is not known.");
}
