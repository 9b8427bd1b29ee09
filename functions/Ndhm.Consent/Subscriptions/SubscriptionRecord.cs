namespace Ndhm.Consent.Subscriptions;

/// <summary>
/// A subscription request and what the patient decided: one document, changed only through <see cref="Apply"/> with
/// If-Match. The life cycle is the consent's (<see cref="ConsentStateMachine"/>): REQUESTED -> GRANTED | DENIED |
/// EXPIRED; GRANTED -> REVOKED | EXPIRED. A grant names the subscription id and its sources, which never change
/// afterwards.
/// </summary>
public sealed record SubscriptionRecord
{
    public required string Id { get; init; }

    /// <summary>The HIU partner (client id) that asked; only it is told.</summary>
    public required string HiuPartnerId { get; init; }

    /// <summary>The patient's ABHA number (the key of their data key and audit chain).</summary>
    public required string PatientNumber { get; init; }

    public required SubscriptionRequestDetail Detail { get; init; }

    public required ConsentStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When an undecided request expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>ABDM <c>HIUSubscription.id</c>, set by the grant.</summary>
    public string? SubscriptionId { get; init; }

    public IReadOnlyList<SubscriptionSource> Sources { get; init; } = [];

    /// <summary>
    /// The granted STREAM or QUERY consent (its consent request id) the request was allowed under at init: the
    /// subscription ends when that consent is revoked or expires. Null on records made before it was recorded.
    /// </summary>
    public string? ConsentRequestId { get; init; }

    public IReadOnlyList<SubscriptionEvent> Events { get; init; } = [];

    /// <summary>A granted subscription ends with the latest end of its sources' periods.</summary>
    public DateTimeOffset? GrantedUntil => Status == ConsentStatus.Granted && Sources.Count > 0 ? Sources.Max(s => s.Period.To) : null;

    /// <summary>When the sweep must look at this record next; null once final.</summary>
    public DateTimeOffset? DueAt => Status switch
    {
        ConsentStatus.Requested => ExpiresAt,
        ConsentStatus.Granted => GrantedUntil,
        _ => null,
    };

    public bool IsDue(DateTimeOffset now) => DueAt is { } due && due <= now;

    public static SubscriptionRecord Create(string id, string hiuPartnerId, string patientNumber, SubscriptionRequestDetail detail, DateTimeOffset now,
        DateTimeOffset expiresAt, ConsentActor actor, string? consentRequestId = null) => new()
    {
        Id = id,
        ConsentRequestId = consentRequestId,
        HiuPartnerId = hiuPartnerId,
        PatientNumber = patientNumber,
        Detail = detail,
        Status = ConsentStatus.Requested,
        CreatedAt = now,
        ExpiresAt = expiresAt,
        Events = [new SubscriptionEvent(1, ConsentStatus.Requested, now, actor, null)],
    };

    /// <summary>The record after the transition; refuses what the state machine does not allow (SUBSCRIPTION_NOT_PENDING / SUBSCRIPTION_NOT_GRANTED).</summary>
    public SubscriptionRecord Apply(ConsentStatus to, DateTimeOffset at, ConsentActor actor, string? reason, string? subscriptionId = null,
        IReadOnlyList<SubscriptionSource>? sources = null)
    {
        EnsureAllowed(to);
        if (to == ConsentStatus.Granted && (subscriptionId is null || sources is not { Count: > 0 }))
            throw new ArgumentException("A grant carries the subscription id and its sources.", nameof(sources));
        return this with
        {
            Status = to,
            SubscriptionId = to == ConsentStatus.Granted ? subscriptionId : SubscriptionId,
            Sources = to == ConsentStatus.Granted ? sources! : Sources,
            Events = [.. Events, new SubscriptionEvent(Events.Count + 1, to, at, actor, reason)],
        };
    }

    public void EnsureAllowed(ConsentStatus to)
    {
        if (ConsentStateMachine.IsAllowed(Status, to)) return;
        throw to is ConsentStatus.Revoked ? SubscriptionErrors.NotGranted(Status) : SubscriptionErrors.NotPending(Status);
    }

    /// <summary>
    /// The source of this subscription a care context linked at <paramref name="hipId"/> at <paramref name="at"/>
    /// falls in for <paramref name="category"/>: granted, the HIP named by a source (or the source names none), the
    /// category subscribed, and <paramref name="at"/> inside the source's period. Null when out of scope.
    /// </summary>
    public SubscriptionSource? ScopeFor(string hipId, string category, DateTimeOffset at) =>
        Status != ConsentStatus.Granted
            ? null
            : Sources.FirstOrDefault(s => (s.Hip is null || s.Hip.Id == hipId) && s.Categories.Contains(category)
                                          && s.Period.From <= at && at <= s.Period.To);

    /// <summary>
    /// Whether this request or subscription rests on <paramref name="consent"/>, so it ends when that consent does: the
    /// consent recorded at init; for a record made before that was recorded, any subscribable consent of the same HIU
    /// partner and facility (the one it rested on cannot be told apart, so the first such end ends it).
    /// </summary>
    public bool RestsOn(ConsentRecord consent) =>
        ConsentRequestId is { } recorded
            ? recorded == consent.Id
            : consent.HiuPartnerId == HiuPartnerId && consent.Detail.Hiu.Id == Detail.Hiu.Id
              && SubscriptionManager.SubscribableAccessModes.Contains(consent.Detail.Permission.AccessMode);

    /// <summary>
    /// Whether a notification told earlier may be sent again now: an event only while the subscription is GRANTED (no
    /// event after it ended), a decision while it is still the current state (GRANTED, or DENIED, which is final).
    /// </summary>
    public bool StillTells(bool isEvent) => isEvent ? Status == ConsentStatus.Granted : Status is ConsentStatus.Granted or ConsentStatus.Denied;
}
