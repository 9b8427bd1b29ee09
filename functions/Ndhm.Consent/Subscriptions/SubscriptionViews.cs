namespace Ndhm.Consent.Subscriptions;

public sealed record SubscriptionEventView(int Seq, string Status, DateTimeOffset At, string ActorKind, string? Reason);

/// <summary>A subscription request as the patient sees it: who asks, for what, and what was decided.</summary>
public sealed record SubscriptionRequestView(
    string Id,
    string Status,
    string? SubscriptionId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    ConsentPurpose Purpose,
    IdReference Patient,
    IdReference Hiu,
    IReadOnlyList<IdReference> Hips,
    IReadOnlyList<string> Categories,
    DateRange Period,
    IReadOnlyList<SubscriptionSource> Sources,
    IReadOnlyList<SubscriptionEventView> Events)
{
    public static SubscriptionRequestView From(SubscriptionRecord record) => new(
        record.Id, ConsentStatuses.Name(record.Status), record.SubscriptionId, record.CreatedAt, record.ExpiresAt, record.Detail.Purpose,
        record.Detail.Patient, record.Detail.Hiu, record.Detail.Hips, record.Detail.Categories, record.Detail.Period, record.Sources,
        record.Events.Select(e => new SubscriptionEventView(e.Seq, ConsentStatuses.Name(e.Status), e.At, e.Actor.Kind, e.Reason)).ToList());
}
