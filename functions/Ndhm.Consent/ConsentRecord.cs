namespace Ndhm.Consent;

/// <summary>
/// A consent request and everything decided on it: one document, updated only through <see cref="Apply"/> with
/// If-Match, so two concurrent decisions cannot both win. Artefacts (one per HIP) are added by the grant and never
/// change afterwards; later status changes are appended as signed <see cref="Events"/>.
/// </summary>
public sealed record ConsentRecord
{
    public required string Id { get; init; }

    /// <summary>The HIU partner (client id) that made the request; only it sees the request's status.</summary>
    public required string HiuPartnerId { get; init; }

    /// <summary>The patient's ABHA number (the key of their data key and audit chain).</summary>
    public required string PatientNumber { get; init; }

    public required ConsentRequestDetail Detail { get; init; }

    public required ConsentStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When an undecided request expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When a granted consent expires: the permission's dataEraseAt, or sooner for emergency access.</summary>
    public DateTimeOffset? GrantedUntil { get; init; }

    public IReadOnlyList<SignedArtefact> Artefacts { get; init; } = [];

    public IReadOnlyList<ConsentEvent> Events { get; init; } = [];

    public bool IsEmergency => Detail.IsEmergency;

    /// <summary>When the expiry timer must look at this record next; null once final.</summary>
    public DateTimeOffset? DueAt => Status switch
    {
        ConsentStatus.Requested => ExpiresAt,
        ConsentStatus.Granted => GrantedUntil,
        _ => null,
    };

    public bool IsDue(DateTimeOffset now) => DueAt is { } due && due <= now;

    public SignedArtefact? Artefact(string artefactId) => Artefacts.FirstOrDefault(a => a.Id == artefactId);

    public bool InvolvesHip(string hipId) => Artefacts.Any(a => a.HipId == hipId);

    /// <summary>
    /// The record after the transition to <paramref name="to"/>; refuses (CONSENT_NOT_PENDING / CONSENT_NOT_GRANTED)
    /// every transition <see cref="ConsentStateMachine"/> does not allow.
    /// </summary>
    public ConsentRecord Apply(ConsentStatus to, DateTimeOffset at, ConsentActor actor, string? reason, string signature,
        IReadOnlyList<SignedArtefact>? artefacts = null, DateTimeOffset? grantedUntil = null)
    {
        EnsureAllowed(to);
        if (to == ConsentStatus.Granted && (artefacts is null || artefacts.Count == 0 || grantedUntil is null))
            throw new ArgumentException("A grant carries its artefacts and its end.", nameof(artefacts));
        return this with
        {
            Status = to,
            Artefacts = to == ConsentStatus.Granted ? artefacts! : Artefacts,
            GrantedUntil = to == ConsentStatus.Granted ? grantedUntil : GrantedUntil,
            Events = [.. Events, new ConsentEvent(NextSeq, to, at, actor, reason, signature, Notified: false)],
        };
    }

    public void EnsureAllowed(ConsentStatus to)
    {
        if (ConsentStateMachine.IsAllowed(Status, to)) return;
        throw to is ConsentStatus.Revoked ? ConsentErrors.NotGranted(Status) : ConsentErrors.NotPending(Status);
    }

    public int NextSeq => Events.Count + 1;

    public ConsentRecord MarkNotified(int seq) =>
        this with { Events = Events.Select(e => e.Seq == seq ? e with { Notified = true } : e).ToList() };

    public static ConsentRecord Create(string id, string hiuPartnerId, string patientNumber, ConsentRequestDetail detail, DateTimeOffset now,
        DateTimeOffset expiresAt, ConsentActor actor, string signature) => new()
    {
        Id = id,
        HiuPartnerId = hiuPartnerId,
        PatientNumber = patientNumber,
        Detail = detail,
        Status = ConsentStatus.Requested,
        CreatedAt = now,
        ExpiresAt = expiresAt,
        Events = [new ConsentEvent(1, ConsentStatus.Requested, now, actor, null, signature, Notified: true)],
    };
}
