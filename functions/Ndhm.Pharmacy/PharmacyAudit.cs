using Ndhm.Audit;

namespace Ndhm.Pharmacy;

/// <summary>
/// Every read and write of prescriptions, shares and orders on the patient's audit chain (who: the HTTP caller, or the
/// order processor), and every read of the dispensing register on the platform chain.
/// </summary>
public sealed class PharmacyAudit(IAuditTrail trail, ICurrentAuditActor current)
{
    public const string PrescriptionResource = "prescription";
    public const string ShareResource = "prescription-share";
    public const string OrderResource = "pharmacy-order";

    public Task RecordAsync(string patientNumber, string action, string resourceType, string resourceId, string outcome, CancellationToken ct) =>
        trail.RecordAsync(new AuditEvent(AuditChainKey.Patient(patientNumber), current.Current ?? AuditActor.System("pharmacy-orders"), action,
            new AuditResource(resourceType, resourceId), Purpose: "PHARMACY", Outcome: outcome), ct);

    public Task RecordRegisterReadAsync(int count, CancellationToken ct) =>
        trail.RecordAsync(new AuditEvent(AuditChainKey.Platform, current.Current ?? AuditActor.System("pharmacy-register"), "dispensing-register.read",
            new AuditResource("dispensing-register", "query"), Outcome: $"listed {count}"), ct);
}
