using Ndhm.Audit;

namespace Ndhm.Triggers.Audit;

public sealed record AuditTrailEntryResponse(
    long Seq,
    string At,
    string Action,
    AuditResource Resource,
    string Actor,
    IReadOnlyList<string> ActorRoles,
    string? Partner,
    string? Facility,
    string? Purpose,
    string? ConsentId,
    string? Outcome,
    string? RequestId);

public sealed record AuditTrailResponse(IReadOnlyList<AuditTrailEntryResponse> Entries, string? ContinuationToken)
{
    public static AuditTrailResponse From(AuditPage page) => new(
        page.Entries.Select(e => new AuditTrailEntryResponse(e.Seq, e.At, e.Action, e.Resource, e.Actor.Subject, e.Actor.Roles,
            e.Actor.Partner, e.Actor.Facility, e.Purpose, e.ConsentId, e.Outcome, e.RequestId)).ToList(),
        page.ContinuationToken);
}
