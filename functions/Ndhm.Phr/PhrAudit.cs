using Ndhm.Audit;
using Ndhm.Core.Security;

namespace Ndhm.Phr;

/// <summary>
/// Every read and change of the patient's health record on their audit chain: who (the HTTP caller, else the patient or
/// the platform's job), what (<c>phr.*</c>), which record, and for pulled records the consent artefact they came under.
/// </summary>
public sealed class PhrAudit(IAuditTrail trail, ICurrentAuditActor current)
{
    public const string RecordResource = "health-record";
    public const string TimelineRead = "phr.timeline.read";
    public const string RecordRead = "phr.record.read";
    public const string AttachmentRead = "phr.attachment.read";
    public const string DocumentUpload = "phr.document.upload";
    public const string DocumentDelete = "phr.document.delete";
    public const string RecordStore = "phr.record.store";
    public const string RecordErase = "phr.record.erase";
    public const string SharingRead = "phr.sharing.read";

    /// <param name="actor">Who acted, whoever the caller is.</param>
    /// <param name="fallback">Who acted when no caller is acting (a queue-triggered write); the patient otherwise.</param>
    public Task RecordAsync(string patientNumber, string action, string recordId, string? outcome, CancellationToken ct, string? consentId = null,
        AuditActor? actor = null, AuditActor? fallback = null)
    {
        var who = actor ?? current.Current ?? fallback ?? new AuditActor(patientNumber, [Roles.Patient]);
        return trail.RecordAsync(new AuditEvent(AuditChainKey.Patient(patientNumber), who, action, new AuditResource(RecordResource, recordId),
            ConsentId: consentId, Outcome: outcome), ct);
    }
}
