namespace Ndhm.Consent;

/// <summary>An artefact as the patient sees it: which HIP shares what, and the signed detail.</summary>
public sealed record ConsentArtefactView(string Id, string ConsentRequestId, string Status, string Hip, ConsentArtefactDetail ConsentDetail,
    string Signature);

public sealed record ConsentEventView(int Seq, string Status, DateTimeOffset At, string ActorKind, string? Reason);

/// <summary>A consent request as the patient sees it (the HIU's request, and what was decided).</summary>
public sealed record ConsentRequestView(
    string Id,
    string Status,
    bool Emergency,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? GrantedUntil,
    ConsentPurpose Purpose,
    IdReference Patient,
    IdReference? Hip,
    IReadOnlyList<CareContextRef>? CareContexts,
    IdReference Hiu,
    Requester Requester,
    IReadOnlyList<string> HiTypes,
    Permission Permission,
    IReadOnlyList<ConsentArtefactView> Artefacts,
    IReadOnlyList<ConsentEventView> Events)
{
    public static ConsentRequestView From(ConsentRecord record) => new(
        record.Id, ConsentStatuses.Name(record.Status), record.IsEmergency, record.CreatedAt, record.ExpiresAt, record.GrantedUntil,
        record.Detail.Purpose, record.Detail.Patient, record.Detail.Hip, record.Detail.CareContexts, record.Detail.Hiu, record.Detail.Requester,
        record.Detail.HiTypes, record.Detail.Permission,
        record.Artefacts.Select(a => Artefact(record, a)).ToList(),
        record.Events.Select(e => new ConsentEventView(e.Seq, ConsentStatuses.Name(e.Status), e.At, e.Actor.Kind, e.Reason)).ToList());

    public static ConsentArtefactView Artefact(ConsentRecord record, SignedArtefact artefact) =>
        new(artefact.Id, record.Id, ConsentStatuses.Name(record.Status), artefact.HipId, artefact.Detail, artefact.Signature);
}
