using Ndhm.Core.Concurrency;

namespace Ndhm.Consent.Subscriptions;

/// <summary>Where subscription requests live (Cosmos <c>consents</c> container; the record encrypted with the patient's data key).</summary>
public interface ISubscriptionStore
{
    /// <summary>Create-only: DomainException Conflict when it exists.</summary>
    Task CreateAsync(SubscriptionRecord record, CancellationToken ct);

    Task<Versioned<SubscriptionRecord>?> FindAsync(string subscriptionRequestId, CancellationToken ct);

    /// <summary>The request granted as subscription <paramref name="subscriptionId"/>, or null.</summary>
    Task<Versioned<SubscriptionRecord>?> FindBySubscriptionIdAsync(string subscriptionId, CancellationToken ct);

    /// <summary>If-Match replace: the new ETag, or DomainException PreconditionFailed <c>CONCURRENT_UPDATE</c>.</summary>
    Task<string> ReplaceAsync(SubscriptionRecord record, string ifMatch, CancellationToken ct);

    /// <summary>The patient's subscription requests, newest first, optionally by status.</summary>
    Task<IReadOnlyList<SubscriptionRecord>> ListForPatientAsync(string patientNumber, ConsentStatus? status, int take, CancellationToken ct);

    /// <summary>Ids of records not final whose <see cref="SubscriptionRecord.DueAt"/> is at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int take, CancellationToken ct);
}

/// <summary>
/// Tells the HIU, through the gateway's callback machinery (queued, retried, visible in its deliveries): the
/// patient's decision (<c>/v0.5/subscription-requests/hiu/notify</c>) and each event in a granted subscription's
/// scope (<c>/v0.5/subscriptions/hiu/notify</c>). The requestId of each derives from what it tells, so telling the same
/// thing twice is one delivery.
/// </summary>
public interface ISubscriptionNotifier
{
    /// <summary>GRANTED (with the subscription) or DENIED; ABDM's <c>SubscriptionStatus</c> has no other value, so nothing else is told.</summary>
    Task TellDecisionAsync(SubscriptionRecord record, SubscriptionEvent decision, CancellationToken ct);

    /// <summary>
    /// An event of <paramref name="category"/>: LINK, care contexts newly linked for the patient at <paramref name="hipId"/>;
    /// DATA, new data (of the contexts' hiTypes) in a care context linked there.
    /// </summary>
    Task TellEventAsync(SubscriptionRecord record, string eventId, string category, string hipId, IReadOnlyList<LinkedCareContextEvent> contexts,
        DateTimeOffset at, CancellationToken ct);

    /// <summary>
    /// A HIU's on-notify answering notification <paramref name="notificationRequestId"/> of kind <paramref name="kind"/>
    /// (<c>request</c> or <c>event</c>): true when it was sent to this partner (now acknowledged).
    /// </summary>
    Task<bool> AcknowledgeAsync(string partnerId, string kind, string notificationRequestId, CancellationToken ct);

    /// <summary>
    /// Sends again, a bounded number of times, the notifications no <c>on-notify</c> acknowledged in time whose
    /// subscription <see cref="SubscriptionRecord.StillTells"/> them; how many.
    /// </summary>
    Task<int> ResendUnacknowledgedAsync(CancellationToken ct);
}

/// <summary>
/// An event about to be told to the subscriptions in scope, written down before what it tells is written or told (a
/// link saved, a HIP's notice handled) and removed once told: one left behind (a crash came between) is told by the
/// consent sweep. <see cref="Id"/> derives from what it tells, so writing it twice is one entry.
/// </summary>
/// <param name="NoticeKey">DATA: the HIP's notice (see <see cref="SubscriptionManager.DataEventIdFor"/>); LINK: null.</param>
public sealed record PendingSubscriptionEvent(string Id, string PatientNumber, string HipId, string Category, IReadOnlyList<LinkedCareContextEvent> Contexts,
    DateTimeOffset At, string? NoticeKey, DateTimeOffset WrittenAt);

/// <summary>Where pending subscription events wait until told (Cosmos <c>consents</c> container; the event encrypted with the patient's data key).</summary>
public interface ISubscriptionOutbox
{
    /// <summary>Writes it; an entry with the same id already there is kept (the same event).</summary>
    Task AddAsync(PendingSubscriptionEvent pending, CancellationToken ct);

    /// <summary>Removes it; nothing when it is gone already.</summary>
    Task RemoveAsync(PendingSubscriptionEvent pending, CancellationToken ct);

    /// <summary>Entries written at or before <paramref name="before"/>, oldest first.</summary>
    Task<IReadOnlyList<PendingSubscriptionEvent>> ListWrittenBeforeAsync(DateTimeOffset before, int take, CancellationToken ct);
}
