using Ndhm.Core.Ids;
using Microsoft.Azure.Cosmos;
using Ndhm.Consent;
using Ndhm.Consent.Subscriptions;
using Ndhm.Gateway.Abdm;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// Subscription notifications as ABDM sends them, through the gateway's callback machinery (recorded deliveries,
/// retries with backoff, dead letters, the partner's <c>/api/v1/deliveries</c>), with <c>X-HIU-ID</c>:
/// <c>/v0.5/subscription-requests/hiu/notify</c> (ABDM <c>SubscriptionApprovalNotification</c>) for a grant or a
/// denial, and <c>/v0.5/subscriptions/hiu/notify</c> (<c>HIUSubscriptionNotification</c>) for each event. Each body's
/// <c>requestId</c> derives from what it tells, so telling it again is the same delivery; the HIU's on-notify answers
/// it in <c>resp.requestId</c>, which marks its <see cref="SubscriptionNoticeDocument"/> acknowledged.
/// </summary>
public sealed class GatewaySubscriptionNotifier(AbdmCallbacks abdm, CosmosClient client, CosmosSettings settings, TimeProvider time) : ISubscriptionNotifier
{
    public const string RequestNotifyPath = "/v0.5/subscription-requests/hiu/notify";
    public const string EventNotifyPath = "/v0.5/subscriptions/hiu/notify";
    public const string RequestKind = "request";
    public const string EventKind = "event";

    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    public async Task TellDecisionAsync(SubscriptionRecord record, SubscriptionEvent decision, CancellationToken ct)
    {
        if (decision.Status is not (ConsentStatus.Granted or ConsentStatus.Denied)) return;
        var notificationId = NotificationId("decision", record.Id, decision.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        object notification = decision.Status == ConsentStatus.Denied
            ? new { subscriptionRequestId = record.Id, status = "DENIED" }
            : new
            {
                subscriptionRequestId = record.Id,
                status = "GRANTED",
                subscription = new
                {
                    id = record.SubscriptionId,
                    patient = record.Detail.Patient,
                    hiu = record.Detail.Hiu,
                    sources = record.Sources.Select(s => new
                    {
                        hip = s.Hip,
                        categories = s.Categories,
                        period = new { from = AbdmCallbacks.Timestamp(s.Period.From), to = AbdmCallbacks.Timestamp(s.Period.To) },
                    }).ToList(),
                },
            };
        await RecordAsync(notificationId, record, RequestKind, ct);
        await abdm.NotifyAsync(AbdmParty.Hiu(record.HiuPartnerId, record.Detail.Hiu.Id), RequestNotifyPath, notificationId, new { notification }, ct);
    }

    public async Task TellEventAsync(SubscriptionRecord record, string eventId, string category, string hipId, IReadOnlyList<LinkedCareContextEvent> contexts,
        DateTimeOffset at, CancellationToken ct)
    {
        var notificationId = NotificationId("event", eventId, record.HiuPartnerId);
        var message = new
        {
            @event = new
            {
                id = eventId,
                published = AbdmCallbacks.Timestamp(at),
                subscriptionId = record.SubscriptionId,
                category,
                content = new
                {
                    patient = record.Detail.Patient,
                    hip = new IdReference(hipId),
                    context = contexts.Select(c => new
                    {
                        careContext = new { patientReference = c.PatientReference, careContextReference = c.CareContextReference },
                        hiTypes = c.HiTypes,
                    }).ToList(),
                },
            },
        };
        await RecordAsync(notificationId, record, EventKind, ct);
        await abdm.NotifyAsync(AbdmParty.Hiu(record.HiuPartnerId, record.Detail.Hiu.Id), EventNotifyPath, notificationId, message, ct);
    }

    public async Task<bool> AcknowledgeAsync(string partnerId, string kind, string notificationRequestId, CancellationToken ct)
    {
        if (!Guid.TryParse(notificationRequestId, out var parsed)) return false;
        return await NoticeAcknowledgements.AcknowledgeAsync<SubscriptionNoticeDocument>(Container, SubscriptionNoticeDocument.IdOf(parsed.ToString()),
            n => n.PartnerId == partnerId && n.Kind == kind, n => n.Acknowledged,
            n => n with { Acknowledged = true, AcknowledgedAt = time.GetUtcNow().ToUnixTimeSeconds() }, ct);
    }

    private Task RecordAsync(string notificationId, SubscriptionRecord record, string kind, CancellationToken ct)
    {
        var id = SubscriptionNoticeDocument.IdOf(notificationId);
        return CosmosDocuments.TryCreateAsync(Container, new SubscriptionNoticeDocument(id, id, SubscriptionNoticeDocument.Type, notificationId,
            record.HiuPartnerId, kind, record.Id, false, time.GetUtcNow().ToUnixTimeSeconds(), null), id, ct);
    }

    /// <summary>A UUID from what is told: stable across retries, different for every notification.</summary>
    public static string NotificationId(string kind, string about, string detail) => DerivedIds.From($"subscription-notify\n{kind}\n{about}\n{detail}");
}
