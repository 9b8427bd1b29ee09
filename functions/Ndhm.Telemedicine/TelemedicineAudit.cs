using Ndhm.Audit;

namespace Ndhm.Telemedicine;

/// <summary>
/// Every read and write of an appointment on the patient's audit chain: who (the HTTP caller, or the reminder timer),
/// what (<c>telemedicine.*</c>) and which appointment. An exception means it was not recorded, and the operation fails.
/// </summary>
public sealed class TelemedicineAudit(IAuditTrail trail, ICurrentAuditActor current)
{
    public const string Resource = "teleconsultation";

    public Task RecordAsync(Appointment appointment, string action, string actorSubject, string actorKind, string? outcome, CancellationToken ct)
    {
        var who = current.Current ?? new AuditActor(actorSubject, [actorKind]);
        return trail.RecordAsync(new AuditEvent(AuditChainKey.Patient(appointment.PatientNumber), who, action,
            new AuditResource(Resource, appointment.Id), Outcome: outcome ?? AppointmentStatuses.Name(appointment.Status)), ct);
    }
}
