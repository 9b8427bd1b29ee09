using Ndhm.Audit;
using Ndhm.Core.Security;

namespace Ndhm.Linking;

/// <summary>
/// Linking's reads and writes on the patient's audit chain (<c>patient:{ABHA number}</c>), so the patient's trail
/// shows which HIP found, linked or read what. The entry is written before the result is returned or the change
/// stored; when the audit write fails, the operation fails.
/// </summary>
public sealed class LinkingAudit(IAuditTrail trail, ICurrentAuditActor current)
{
    public const string ResourceType = "care-context-link";

    public Task RecordAsync(string abhaNumber, string action, string resourceId, string? outcome, CancellationToken ct) =>
        trail.RecordAsync(new AuditEvent(AuditChainKey.Patient(abhaNumber), Actor(abhaNumber), action,
            new AuditResource(ResourceType, resourceId), Outcome: outcome), ct);

    private AuditActor Actor(string abhaNumber) =>
        current.Current is { Subject.Length: > 0 } caller ? caller : new AuditActor(abhaNumber, [Roles.Patient]);
}
