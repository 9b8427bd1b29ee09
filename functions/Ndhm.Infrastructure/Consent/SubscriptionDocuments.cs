namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// A subscription request in the <c>consents</c> container: id = pk = <c>subscription-request:&lt;id&gt;</c>. What
/// queries need is plaintext (status, due time, HIU partner, subscription id, HIP facility ids, purpose code, the
/// patient's keyed hash, the same as consent requests'); the record itself (the patient's ABHA address, the scope,
/// the decisions) is one <c>enc:v1</c> field under the patient's data key, named by <c>subject</c> (the ABHA number).
/// </summary>
internal sealed record SubscriptionRequestDocument(
    string Id,
    string Pk,
    string DocType,
    string SubscriptionRequestId,
    string HiuPartnerId,
    string Subject,
    string PatientKey,
    string Status,
    string PurposeCode,
    string? SubscriptionId,
    IReadOnlyList<string> HipIds,
    long CreatedAt,
    long? DueAt,
    string Record)
{
    public const string Type = "subscriptionRequest";
    public const string RecordField = "record";

    public static string IdOf(string subscriptionRequestId) => "subscription-request:" + subscriptionRequestId;
}

/// <summary>
/// One notification sent to a HIU (id = pk = <c>subscription-notice:&lt;notificationId&gt;</c>): whether its
/// on-notify came, and what to send again if it does not: the message (it names the patient) an <c>enc:v1</c> field
/// under the patient's data key named by <see cref="Subject"/>. Notices written before resends existed have no
/// <see cref="Message"/> and are not sent again.
/// </summary>
/// <param name="Kind"><c>request</c> (subscription-requests/hiu/notify) or <c>event</c> (subscriptions/hiu/notify).</param>
internal sealed record SubscriptionNoticeDocument(
    string Id,
    string Pk,
    string DocType,
    string NotificationId,
    string PartnerId,
    string Kind,
    string SubscriptionRequestId,
    bool Acknowledged,
    long SentAt,
    long? AcknowledgedAt,
    string? Subject = null,
    string? Message = null,
    int Resends = 0,
    long? LastSentAt = null)
{
    public const string Type = "subscriptionNotice";
    public const string MessageField = "message";

    public static string IdOf(string notificationId) => "subscription-notice:" + notificationId;
}

/// <summary>
/// A subscription event written before it is told (id = pk = <c>subscription-outbox:&lt;pendingId&gt;</c>), removed once
/// told: <c>writtenAt</c> (epoch seconds) for the sweep, <c>subject</c> (the ABHA number) naming the data key, the
/// event itself an <c>enc:v1</c> field.
/// </summary>
internal sealed record SubscriptionOutboxDocument(string Id, string Pk, string DocType, string Subject, long WrittenAt, string Event)
{
    public const string Type = "subscriptionOutbox";
    public const string EventField = "event";

    public static string IdOf(string pendingId) => "subscription-outbox:" + pendingId;
}
