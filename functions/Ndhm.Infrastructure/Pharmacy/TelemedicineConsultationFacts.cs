using Ndhm.Pharmacy.Consultations;
using Ndhm.Telemedicine;
using TeleMode = Ndhm.Telemedicine.ConsultationMode;

namespace Ndhm.Infrastructure.Pharmacy;

/// <summary>
/// Consultation facts from the telemedicine capability's appointments (<see cref="ConsultationService.GetConsultationFactsAsync"/>):
/// confirmed or initiated appointments are not started yet, completed ones ended, and cancelled, expired and no-show
/// appointments allow no prescription.
/// </summary>
public sealed class TelemedicineConsultationFacts(ConsultationService consultations) : IConsultationFacts
{
    public async Task<ConsultationFacts?> FindAsync(string consultationId, CancellationToken ct) =>
        await consultations.GetConsultationFactsAsync(consultationId, ct) is { } f
            ? new ConsultationFacts(f.ConsultationId, f.DoctorHprId, f.PatientId, Mode(f.Mode), f.IsFollowUp, f.ConditionCode, f.FacilityId, Status(f.Status),
                f.StartedAt, f.EndedAt)
            : null;

    public static Ndhm.Pharmacy.Consultations.ConsultationMode Mode(TeleMode mode) => mode switch
    {
        TeleMode.Video => Ndhm.Pharmacy.Consultations.ConsultationMode.Video,
        TeleMode.Audio => Ndhm.Pharmacy.Consultations.ConsultationMode.Audio,
        _ => Ndhm.Pharmacy.Consultations.ConsultationMode.Chat,
    };

    public static ConsultationStatus Status(AppointmentStatus status) => status switch
    {
        AppointmentStatus.Initiated or AppointmentStatus.Confirmed => ConsultationStatus.Scheduled,
        AppointmentStatus.InProgress => ConsultationStatus.InProgress,
        AppointmentStatus.Completed => ConsultationStatus.Ended,
        _ => ConsultationStatus.Cancelled,
    };
}

/// <summary>
/// Sandbox only (<c>Pharmacy__SandboxConsultationFacts=true</c>): telemedicine consultations first, then facts seeded
/// through <c>POST /api/sandbox/consultation-facts</c> (so a prescription can be tried without booking a consultation).
/// </summary>
public sealed class SandboxOrTelemedicineConsultationFacts(TelemedicineConsultationFacts real, SandboxConsultationFacts seeded) : IConsultationFacts
{
    public async Task<ConsultationFacts?> FindAsync(string consultationId, CancellationToken ct) =>
        await real.FindAsync(consultationId, ct) ?? await seeded.FindAsync(consultationId, ct);
}
