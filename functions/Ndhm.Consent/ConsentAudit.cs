using Ndhm.Audit;

namespace Ndhm.Consent;

/// <summary>
/// Every read and write of consent data on the patient's audit chain: who (the HTTP caller: patient, nominee,
/// partner, or the platform), what (<c>consent.*</c>), which consent request or artefact, and the purpose code.
/// </summary>
public sealed class ConsentAudit(IAuditTrail trail, ICurrentAuditActor current)
{
    public const string RequestResource = "consent-request";
    public const string ArtefactResource = "consent-artefact";
    public const string SubscriptionResource = "subscription-request";

    public Task RecordAsync(ConsentRecord record, string action, ConsentActor actor, string? artefactId, string outcome, CancellationToken ct)
    {
        var who = current.Current ?? new AuditActor(actor.Subject, [actor.Kind]);
        return trail.RecordAsync(new AuditEvent(AuditChainKey.Patient(record.PatientNumber), who, action,
            artefactId is null ? new AuditResource(RequestResource, record.Id) : new AuditResource(ArtefactResource, artefactId),
            Purpose: record.Detail.Purpose.Code, ConsentId: artefactId ?? record.Id, Outcome: outcome), ct);
    }

    /// <summary>A patient's listing: one entry naming what was listed.</summary>
    public Task RecordListingAsync(string patientNumber, string action, ConsentActor actor, int count, CancellationToken ct)
    {
        var who = current.Current ?? new AuditActor(actor.Subject, [actor.Kind]);
        return trail.RecordAsync(new AuditEvent(AuditChainKey.Patient(patientNumber), who, action,
            new AuditResource(RequestResource, "list"), Outcome: $"listed {count}"), ct);
    }

    /// <summary>A subscription request read, decided or told about (<c>subscription.*</c>) on the patient's chain.</summary>
    public Task RecordSubscriptionAsync(string patientNumber, string subscriptionRequestId, string? purposeCode, string action, ConsentActor actor,
        string outcome, CancellationToken ct)
    {
        var who = current.Current ?? new AuditActor(actor.Subject, [actor.Kind]);
        return trail.RecordAsync(new AuditEvent(AuditChainKey.Patient(patientNumber), who, action, new AuditResource(SubscriptionResource, subscriptionRequestId),
            Purpose: purposeCode, Outcome: outcome), ct);
    }
}
